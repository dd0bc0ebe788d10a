import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { AuthMethod } from "@/constants/auth-logs";
import { type Session, sessions } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { env } from "@/lib/env";
import { newId, newSecret } from "@/lib/ids";
import { addMs } from "@/lib/time";

/**
 * Gatehouse browser sessions: the single sign-on state behind the `gatehouse_session` cookie.
 * The cookie carries a random 256-bit token; only its sha256 is stored, so a database leak does
 * not hand out live sessions.
 */
export const SESSION_COOKIE = "gatehouse_session";
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The cookie to set, as data: the caller (route handler or server action) sets it. */
export type SessionCookie = {
  name: typeof SESSION_COOKIE;
  value: string;
  expires: Date;
  httpOnly: true;
  // Lax: sent on the top-level GET to /oauth/authorize from a client's site (silent SSO), never
  // on cross-site POSTs, which keeps logout confirmation free of CSRF.
  sameSite: "lax";
  secure: boolean;
  path: "/";
};

export type CreatedSession = { cookieValue: string; session: Session };

export async function createSession(
  tx: Executor,
  input: { userId: string; authMethod: AuthMethod },
  now: Date = new Date(),
): Promise<CreatedSession> {
  const cookieValue = newSecret();
  const [session] = await tx
    .insert(sessions)
    .values({
      id: newId("ses"),
      tokenHash: hashToken(cookieValue),
      userId: input.userId,
      authMethod: input.authMethod,
      authTime: now,
      expiresAt: addMs(now, SESSION_LIFETIME_MS),
    })
    .returning();
  return { cookieValue, session: session as Session };
}

/** The live session behind a cookie value: not ended, not expired. */
export async function readSession(
  cookieValue: string | null | undefined,
  tx: Executor = db,
  now: Date = new Date(),
): Promise<Session | undefined> {
  if (!cookieValue) return undefined;
  const [found] = await tx
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, hashToken(cookieValue)),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
      ),
    );
  return found;
}

/** Ends the session behind a cookie value; returns it when one was live. */
export async function endSession(
  cookieValue: string | null | undefined,
  tx: Executor = db,
): Promise<Session | undefined> {
  if (!cookieValue) return undefined;
  const [ended] = await tx
    .update(sessions)
    .set({ endedAt: new Date() })
    .where(and(eq(sessions.tokenHash, hashToken(cookieValue)), isNull(sessions.endedAt)))
    .returning();
  return ended;
}

export function sessionCookie(cookieValue: string, expires: Date): SessionCookie {
  return {
    name: SESSION_COOKIE,
    value: cookieValue,
    expires,
    httpOnly: true,
    sameSite: "lax",
    secure: env.issuer.startsWith("https://"),
    path: "/",
  };
}

/** A cookie that makes the browser forget the session at once. */
export function clearedSessionCookie(): SessionCookie {
  return sessionCookie("", new Date(0));
}

/** `Set-Cookie` header value for route handlers that answer with a plain Response. */
export function serializeSessionCookie(cookie: SessionCookie): string {
  const parts = [
    `${cookie.name}=${cookie.value}`,
    `Path=${cookie.path}`,
    `Expires=${cookie.expires.toUTCString()}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (cookie.secure) parts.push("Secure");
  return parts.join("; ");
}

/** The session cookie value sent with a request, if any. */
export function sessionCookieFromRequest(request: Request): string | undefined {
  return readCookie(request.headers.get("cookie"), SESSION_COOKIE);
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    return value || undefined;
  }
  return undefined;
}
