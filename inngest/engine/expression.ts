// Key and trigger expressions, which Inngest reads as CEL, reduced to the two forms the app's
// functions produce: a path into the event (`event.data.endpointId`, deliver-webhook's
// concurrency and throttle key) and a path equal to a string literal (the trigger the SDK gives
// an `onFailure` handler: `event.data.function_id == '<function id>'`). Both mean the same in
// CEL. Reduced rather than a CEL library, because no function writes any other expression; one
// that does is refused at sync, and functions.ts falls back conservatively.

export type CompiledExpression = (bindings: { event: unknown }) => unknown;

export class ExpressionSyntaxError extends Error {
  override name = "ExpressionSyntaxError";
}

const PATH = /^event(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
// A string literal without escapes, in single or double quotes.
const EQUALS_STRING = /^(\S+)\s*==\s*(?:'([^'\\]*)'|"([^"\\]*)")$/;

export function compileExpression(source: string): CompiledExpression {
  const text = source.trim();
  if (PATH.test(text)) return pathLookup(text);
  const comparison = EQUALS_STRING.exec(text);
  if (comparison && PATH.test(comparison[1] as string)) {
    const read = pathLookup(comparison[1] as string);
    const expected = comparison[2] ?? comparison[3];
    return (bindings) => read(bindings) === expected;
  }
  throw new ExpressionSyntaxError(
    `Only a path into the event (event.data.id) or one compared with a string (event.data.id == 'x') is supported, not "${source}"`,
  );
}

/** A key expression's value as a group name: strings as they are, the rest as JSON. */
export function keyString(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

function pathLookup(path: string): CompiledExpression {
  const fields = path.split(".").slice(1);
  return ({ event }) => {
    let value: unknown = event;
    for (const field of fields) {
      // Only the event's own fields: nothing inherited from Object.prototype.
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, field)) {
        return undefined;
      }
      value = (value as Record<string, unknown>)[field];
    }
    return value;
  };
}
