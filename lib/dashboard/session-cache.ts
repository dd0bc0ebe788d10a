import type { JWT, JWTDecodeParams } from "next-auth/jwt";

type Decode = (params: JWTDecodeParams) => Promise<JWT | null>;

/**
 * A session-cookie decoder that remembers what recent cookies decoded to. Decoding derives a
 * key and decrypts, CPU spent on every dashboard request; the same encrypted bytes
 * always decode to the same session, so a remembered one only needs its expiry checked, which
 * is done on every use. Cookies that fail to decode are not remembered. The least recently used
 * session is forgotten first, once `max` are held.
 */
export function rememberingDecoder(
  decode: Decode,
  options: { max: number; now?: () => number },
): Decode {
  const now = options.now ?? Date.now;
  const remembered = new Map<string, JWT>();
  return async (params) => {
    const key = `${params.salt}\u0000${params.token ?? ""}`;
    const session = remembered.get(key);
    remembered.delete(key);
    if (session && !hasExpired(session, now())) {
      remembered.set(key, session);
      return session;
    }
    const decoded = await decode(params);
    if (decoded && !hasExpired(decoded, now())) {
      remembered.set(key, decoded);
      if (remembered.size > options.max) {
        remembered.delete(remembered.keys().next().value as string);
      }
    }
    return decoded;
  };
}

function hasExpired(session: JWT, nowMs: number): boolean {
  return typeof session.exp === "number" && session.exp * 1000 <= nowMs;
}
