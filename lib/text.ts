import { z } from "zod";

/**
 * PostgreSQL's text and jsonb cannot hold U+0000 (NUL): a query carrying it fails outright. So
 * input is checked for it where it enters (API bodies and query strings, forms, URL state) and
 * refused with a message, instead of failing later as a database error.
 */
export const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

export function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/**
 * Text received from elsewhere (an endpoint's response body, an interceptor's message) as it can
 * be stored: each NUL becomes U+FFFD, the mark a UTF-8 decoder already puts in place of bytes
 * that are not text.
 */
export function replaceNul(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD");
}

/** The path of every string (or object key) in `value` that holds a NUL, in document order. */
export function pathsWithNul(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value === "string") return hasNul(value) ? [path] : [];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => pathsWithNul(item, [...path, index]));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      hasNul(key) ? [[...path, key]] : pathsWithNul(item, [...path, key]),
    );
  }
  return [];
}

/** A string from outside that will be stored or looked up: refused when it holds a NUL. */
export function textWithoutNul() {
  return z.string().refine((text) => !hasNul(text), NUL_MESSAGE);
}
