import { createLoader, createSerializer, parseAsString, parseAsStringLiteral } from "nuqs/server";

/** The sign-in page's query: the auth request it serves, and an optional method override. */
export const signInSearchParams = {
  auth_request: parseAsString,
  // "Use your password instead" after a code was sent.
  method: parseAsStringLiteral(["password"] as const),
};

export const loadSignInSearchParams = createLoader(signInSearchParams);

const serialize = createSerializer(signInSearchParams);

/** `/sign-in?auth_request=…`, the one URL form of the hosted sign-in. */
export function signInPath(authRequestId: string, method?: "password"): string {
  return serialize("/sign-in", { auth_request: authRequestId, method: method ?? null });
}
