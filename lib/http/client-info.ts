/** Who is calling, as far as the request tells: for the auth log, never for decisions. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

export function clientInfoFromHeaders(headers: Headers): ClientInfo {
  // Behind a proxy the first x-forwarded-for hop is the client; run Gatehouse behind one you trust.
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip") || null;
  const userAgent = headers.get("user-agent")?.slice(0, 512) ?? null;
  return { ip, userAgent };
}
