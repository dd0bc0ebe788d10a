import "server-only";
import type { AuthorizationCode, OAuthClient } from "@/db/schema";
import { AuthRequestClosedError, transitionAuthRequest } from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import { findUser } from "@/lib/users";
import { emitUserLogin } from "@/lib/webhooks/emit";
import { dispatchEvents, type EmittedEvent } from "@/lib/webhooks/outbox";
import { revokeAccessTokensOfRequest } from "../access-tokens";
import { failOrNote } from "../auth-log";
import { consumeAuthorizationCode, findAuthorizationCode } from "../codes";
import { OAuthError } from "../errors";
import { type ProtocolParams, requireParam } from "../params";
import { verifierMatchesChallenge } from "../pkce";
import { revokeRefreshTokensOfRequest } from "../refresh-tokens";
import { hasScope } from "../scopes";
import { activeSigningKey } from "../signing-keys";
import { issueTokenSet, type TokenResponseBody } from "../token-set";

type Outcome = { tokens: TokenResponseBody; login: EmittedEvent } | { refused: OAuthError };

/**
 * The authorization_code grant (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3). The code is consumed first,
 * in the same transaction that checks it and mints tokens: a code that fails a check is spent,
 * so a wrong verifier cannot be retried against it. Refusals commit their auth-log entry before
 * the error is raised.
 */
export async function exchangeAuthorizationCode(
  client: OAuthClient,
  params: ProtocolParams,
): Promise<TokenResponseBody> {
  const code = requireParam(params, "code");
  // Loaded before the transaction: key creation runs its own, and PGlite has one connection.
  const key = await activeSigningKey();
  const outcome = await db
    .transaction(async (tx): Promise<Outcome> => {
      const consumed = await consumeAuthorizationCode(tx, code);
      if (!consumed) return refuseUnusableCode(tx, code, client);
      const mismatch = checkCodeBinding(consumed, {
        clientId: client.clientId,
        redirectUri: params.get("redirect_uri"),
        codeVerifier: params.get("code_verifier"),
      });
      if (mismatch) {
        await failOrNote(tx, consumed.authRequestId, mismatch.reason ?? "invalid_request", {
          description: mismatch.description,
          detail: { client_id: client.clientId },
        });
        return { refused: mismatch };
      }
      const user = await findUser(consumed.userId, tx);
      if (!user) {
        const description = "The user was deleted before the code was exchanged";
        await failOrNote(tx, consumed.authRequestId, "unknown_user", { description });
        return { refused: new OAuthError("invalid_grant", description) };
      }
      const issued = await issueTokenSet(tx, key, {
        authRequestId: consumed.authRequestId,
        clientId: client.clientId,
        user,
        scope: consumed.scope,
        nonce: consumed.nonce,
        authTime: consumed.authTime,
        refresh: hasScope(consumed.scope, "offline_access") ? { scope: consumed.scope } : undefined,
      });
      const succeeded = await transitionAuthRequest(tx, consumed.authRequestId, "success", {
        type: "code_exchanged",
        detail: {
          client_id: client.clientId,
          scope: consumed.scope,
          refresh_token_family: issued.familyId ?? null,
        },
      });
      // The user.login webhook is written with the Success it reports (transactional outbox).
      const login = await emitUserLogin(tx, { authRequest: succeeded, user });
      return { tokens: issued.body, login };
    })
    .catch((error: unknown) => {
      // The request ended (expired, failed by a wrong-secret attempt) after its code was issued:
      // the transaction is rolled back, so no token of this exchange exists.
      if (error instanceof AuthRequestClosedError) {
        return {
          refused: new OAuthError("invalid_grant", "The authorization request is no longer valid"),
        };
      }
      throw error;
    });
  if ("refused" in outcome) throw outcome.refused;
  await dispatchEvents(outcome.login);
  return outcome.tokens;
}

/**
 * Checks what a code is bound to (RFC 6749 §4.1.3, RFC 7636 §4.6), first problem wins: a code in
 * another client's hands is the most serious, then expiry, then the request's own parameters.
 */
export function checkCodeBinding(
  code: Pick<AuthorizationCode, "clientId" | "redirectUri" | "codeChallenge" | "expiresAt">,
  presented: { clientId: string; redirectUri?: string; codeVerifier?: string },
  now: Date = new Date(),
): OAuthError | undefined {
  if (code.clientId !== presented.clientId) {
    return new OAuthError("invalid_grant", "The authorization code was issued to another client", {
      reason: "client_mismatch",
    });
  }
  if (code.expiresAt.getTime() <= now.getTime()) {
    return new OAuthError("invalid_grant", "The authorization code has expired", {
      reason: "code_expired",
    });
  }
  if (presented.redirectUri !== code.redirectUri) {
    return new OAuthError(
      "invalid_grant",
      "redirect_uri must be identical to the one sent to the authorization endpoint",
      { reason: "redirect_uri_mismatch" },
    );
  }
  if (
    presented.codeVerifier === undefined ||
    !verifierMatchesChallenge(presented.codeVerifier, code.codeChallenge)
  ) {
    return new OAuthError("invalid_grant", "The code_verifier does not match the code_challenge", {
      reason: "pkce_mismatch",
    });
  }
  return undefined;
}

/**
 * Wrong client credentials presented with a live code of that client: the code is in hands
 * that cannot authenticate as its client, so its auth request ends in Failure `invalid_client`.
 */
export async function recordFailedClientAuthentication(
  code: string,
  claimedClientId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await findAuthorizationCode(tx, code);
    if (!found || found.consumedAt !== null || found.clientId !== claimedClientId) return;
    await failOrNote(tx, found.authRequestId, "invalid_client", {
      description: "Client authentication failed at the token endpoint",
      detail: { client_id: claimedClientId },
    });
  });
}

/**
 * Unknown code, or one already used. RFC 6749 §4.1.2: on a second use the server SHOULD revoke
 * every token issued from that code; the request moves to Failure `code_replayed` even if it was
 * a Success, with an event listing what was revoked.
 */
async function refuseUnusableCode(
  tx: Executor,
  code: string,
  client: OAuthClient,
): Promise<Outcome> {
  const used = await findAuthorizationCode(tx, code);
  if (!used) {
    return { refused: new OAuthError("invalid_grant", "The authorization code is invalid") };
  }
  const revokedAccessTokens = await revokeAccessTokensOfRequest(tx, used.authRequestId);
  const revokedRefreshTokens = await revokeRefreshTokensOfRequest(tx, used.authRequestId);
  await failOrNote(tx, used.authRequestId, "code_replayed", {
    detail: {
      presented_by: client.clientId,
      revoked_access_tokens: revokedAccessTokens,
      revoked_refresh_tokens: revokedRefreshTokens,
    },
  });
  return {
    refused: new OAuthError("invalid_grant", "The authorization code was already used", {
      reason: "code_replayed",
    }),
  };
}
