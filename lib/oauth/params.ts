import { OAuthError } from "./errors";

/**
 * Protocol parameters, each present at most once. RFC 6749 §3.1 and §3.2: parameters sent
 * without a value are treated as omitted, and a parameter must not be sent more than once.
 */
export type ProtocolParams = ReadonlyMap<string, string>;

export const MAX_FORM_BYTES = 16 * 1024;

// RFC 6749 Appendix A limits protocol values to printable characters. Control characters are
// refused outright: NUL cannot even be stored in PostgreSQL text or jsonb (the auth log).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Reads parameters, noting instead of throwing what is wrong: the names sent more than once
 * (left out of `params`) and whether any name or value holds a control character.
 */
export function collectParams(source: URLSearchParams): {
  params: ProtocolParams;
  duplicated: string[];
  hasControlCharacters: boolean;
} {
  const params = new Map<string, string>();
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  let hasControlCharacters = false;
  for (const [name, value] of source) {
    if (seen.has(name)) duplicated.add(name);
    seen.add(name);
    hasControlCharacters ||= containsControlCharacter(name) || containsControlCharacter(value);
    if (value !== "") params.set(name, value);
  }
  for (const name of duplicated) params.delete(name);
  return { params, duplicated: [...duplicated], hasControlCharacters };
}

/** Parameters for token, revocation and logout: duplicates and control characters refused. */
export function uniqueParams(source: URLSearchParams): ProtocolParams {
  const { params, duplicated, hasControlCharacters } = collectParams(source);
  if (duplicated.length > 0) {
    throw new OAuthError("invalid_request", `Parameter sent more than once: ${duplicated[0]}`);
  }
  if (hasControlCharacters) {
    throw new OAuthError("invalid_request", "Parameters must not contain control characters");
  }
  return params;
}

export function containsControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** A value safe to keep in the auth log: control characters removed, length bounded. */
export function loggable(value: string | undefined, maxLength = 2048): string | null {
  if (value === undefined) return null;
  return value.replace(new RegExp(CONTROL_CHARACTER.source, "g"), "").slice(0, maxLength);
}

/**
 * The body of a token or revocation request. RFC 6749 §4.1.3 and RFC 7009 §2.1 require
 * application/x-www-form-urlencoded; JSON or multipart bodies are refused, not guessed at.
 */
export async function readFormParams(request: Request): Promise<ProtocolParams> {
  if (request.method !== "POST") {
    throw new OAuthError("invalid_request", "Use POST for this endpoint");
  }
  if (!isFormEncoded(request.headers.get("content-type"))) {
    throw new OAuthError(
      "invalid_request",
      "The request body must be application/x-www-form-urlencoded",
    );
  }
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_FORM_BYTES) throw tooLarge();
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) throw tooLarge();
  return uniqueParams(new URLSearchParams(body));
}

export function requireParam(params: ProtocolParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError("invalid_request", `Missing parameter: ${name}`);
  return value;
}

function isFormEncoded(contentType: string | null): boolean {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/x-www-form-urlencoded";
}

function tooLarge(): OAuthError {
  return new OAuthError("invalid_request", `The request body exceeds ${MAX_FORM_BYTES} bytes`);
}
