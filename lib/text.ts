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

/**
 * The path of every string (or object key) in `value` that holds a NUL, in document order.
 * Walked with a stack of its own, each entry pointing at its parent, not by recursion or by
 * copying paths: a body may nest as deep as its size allows.
 */
export function pathsWithNul(value: unknown): PropertyKey[][] {
  type Place = { value: unknown; key?: PropertyKey; parent?: Place };
  const found: PropertyKey[][] = [];
  const pending: Place[] = [{ value }];
  for (let place = pending.pop(); place; place = pending.pop()) {
    const item = place.value;
    if (typeof item === "string") {
      if (hasNul(item)) found.push(pathTo(place));
    } else if (item !== null && typeof item === "object") {
      const entries: [PropertyKey, unknown][] = Array.isArray(item)
        ? item.map((element, index) => [index, element])
        : Object.entries(item);
      // Pushed last to first, so that the first is walked first. A key holding a NUL is
      // reported where it stands, and what it holds is not walked.
      for (const [key, child] of entries.reverse()) {
        const badKey = typeof key === "string" && hasNul(key);
        pending.push({ value: badKey ? "\u0000" : child, key, parent: place });
      }
    }
  }
  return found;

  function pathTo(place: Place): PropertyKey[] {
    const path: PropertyKey[] = [];
    for (let at: Place | undefined = place; at?.parent; at = at.parent) path.push(at.key ?? "");
    return path.reverse();
  }
}
