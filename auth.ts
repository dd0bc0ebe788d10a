import NextAuth, { type NextAuthConfig } from "next-auth";
import {
  DASHBOARD_CLIENT_ID,
  DASHBOARD_PROVIDER_ID,
  dashboardClientSecret,
} from "@/lib/bootstrap/dashboard-client";
import { authSecret, env } from "@/lib/env";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** Kept server-side only (never copied into the session) for RP-initiated logout. */
    idToken?: string;
  }
}

/** Dashboard sessions last as long as the Gatehouse session they were made from. */
const SESSION_MAX_AGE_S = 12 * 60 * 60;

/**
 * The dashboard is a relying party of the Gatehouse it administers: next-auth runs the
 * authorization code flow (PKCE, state and nonce) against this very issuer, so dashboard
 * sign-ins go through the hosted sign-in and land in the auth log like any other application's.
 *
 * The config is built lazily: AUTH_SECRET may live in the data folder, which a build never reads.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => dashboardAuthConfig());

export function dashboardAuthConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    trustHost: true,
    basePath: "/api/auth",
    useSecureCookies: env.issuer.startsWith("https://"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    providers: [
      {
        id: DASHBOARD_PROVIDER_ID,
        name: "Gatehouse",
        type: "oidc",
        issuer: env.issuer,
        clientId: DASHBOARD_CLIENT_ID,
        clientSecret: dashboardClientSecret(),
        checks: ["pkce", "state", "nonce"],
        client: { token_endpoint_auth_method: "client_secret_basic" },
        authorization: { params: { scope: "openid email profile" } },
      },
    ],
    // Failed callbacks land on the signed-out page, which explains and offers another try.
    pages: { signIn: "/api/auth/signin", error: "/signed-out" },
    callbacks: {
      jwt({ token, account }) {
        if (account) {
          // next-auth gives users a random id unless an adapter stores them; the Gatehouse user
          // is the ID token's subject.
          token.sub = account.providerAccountId;
          token.idToken = account.id_token;
        }
        return token;
      },
      session({ session, token }) {
        // Only identity goes into the session; whether this user may see anything is decided
        // from the database on every request (lib/dashboard/access.ts).
        return {
          ...session,
          user: {
            id: token.sub ?? "",
            email: token.email ?? "",
            name: token.name ?? null,
          },
        };
      },
    },
  };
}
