import type { z } from "zod";

/**
 * Plain wording for the zod issues a schema gives no message of its own, in the style of the
 * schemas' messages ("must be at most 200 characters"), instead of zod's ("Too big: expected
 * string to have <=200 characters"). Passed as the per-parse error map, which a schema's own
 * message always overrides. Undefined keeps zod's wording for anything not covered here.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return EXPECTED[issue.expected] ?? `must be ${issue.expected}`;
    case "too_big":
      return bound(["at most", "less than"], issue.maximum, issue.inclusive, issue.origin);
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return "must not be empty";
      return bound(["at least", "more than"], issue.minimum, issue.inclusive, issue.origin);
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_format":
      return FORMATS[issue.format] ?? `must be a valid ${issue.format}`;
    case "invalid_union":
      return unionMessage(issue.errors);
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  string: "must be a string",
  number: "must be a number",
  int: "must be a whole number",
  boolean: "must be true or false",
  array: "must be a list",
  object: "must be an object",
};

const FORMATS: Record<string, string> = {
  email: "must be an email address",
  url: "must be a URL",
  datetime: "must be an ISO 8601 date-time",
};

/** "must be at most 200 characters", "must have at least 1 item", "must be more than 0". */
function bound(
  words: readonly [inclusive: string, exclusive: string],
  limit: number | bigint,
  inclusive: boolean | undefined,
  origin: string,
): string {
  const word = inclusive === false ? words[1] : words[0];
  const plural = limit === 1 || limit === 1n ? "" : "s";
  if (origin === "string") return `must be ${word} ${limit} character${plural}`;
  if (origin === "array" || origin === "set") return `must have ${word} ${limit} item${plural}`;
  return `must be ${word} ${limit}`;
}

/**
 * A union's options each failed. When the first option's only problem is the value itself (a
 * status that is "one or a list of" a set of names, say), its message says what is accepted;
 * otherwise there is no one thing to tell.
 */
function unionMessage(options: readonly (readonly z.core.$ZodIssue[])[]): string {
  const first = options[0];
  if (first?.length === 1 && first[0]?.path.length === 0) return first[0].message;
  return "is not any of the accepted forms";
}
