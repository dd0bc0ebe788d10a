import "server-only";
import type { User } from "@/db/schema";
import type { Executor } from "@/lib/db";
import { issueAccessToken } from "./access-tokens";
import { ACCESS_TOKEN_LIFETIME_S, idTokenClaims, signIdToken } from "./jwt";
import { issueRefreshToken } from "./refresh-tokens";
import { hasScope } from "./scopes";
import type { ActiveSigningKey } from "./signing-keys";

/** RFC 6749 §5.1 successful token response, plus the OIDC Core §3.1.3.3 id_token. */
export type TokenResponseBody = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
};

export type TokenSetInput = {
  authRequestId: string;
  clientId: string;
  user: User;
  /** Scope of the access token (may be narrower than the refresh token's on refresh). */
  scope: string;
  nonce: string | null;
  authTime: Date;
  /** Issue a refresh token: in `familyId` when rotating, else it starts a new family. */
  refresh?: { familyId?: string; scope: string };
};

/**
 * Mints the tokens of one exchange inside the caller's transaction, so the auth log entry that
 * records the exchange and the rows that make the tokens valid commit together or not at all.
 */
export async function issueTokenSet(
  tx: Executor,
  key: ActiveSigningKey,
  input: TokenSetInput,
  now: Date = new Date(),
): Promise<{ body: TokenResponseBody; familyId: string | undefined }> {
  const refresh = input.refresh
    ? await issueRefreshToken(
        tx,
        {
          familyId: input.refresh.familyId,
          authRequestId: input.authRequestId,
          clientId: input.clientId,
          userId: input.user.id,
          scope: input.refresh.scope,
          nonce: input.nonce,
          authTime: input.authTime,
        },
        now,
      )
    : undefined;
  const familyId = refresh?.refreshToken.familyId;
  const access = await issueAccessToken(
    tx,
    key,
    {
      authRequestId: input.authRequestId,
      clientId: input.clientId,
      userId: input.user.id,
      scope: input.scope,
      familyId,
    },
    now,
  );
  const idToken = hasScope(input.scope, "openid")
    ? await signIdToken(
        idTokenClaims({
          user: input.user,
          clientId: input.clientId,
          scope: input.scope,
          // OIDC Core §12.2 (errata 2): a refreshed ID token repeats the original nonce.
          nonce: input.nonce,
          authTime: input.authTime,
          accessToken: access.token,
          issuedAt: now,
        }),
        key,
      )
    : undefined;
  return {
    body: {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_LIFETIME_S,
      scope: input.scope,
      ...(idToken ? { id_token: idToken } : {}),
      ...(refresh ? { refresh_token: refresh.token } : {}),
    },
    familyId,
  };
}
