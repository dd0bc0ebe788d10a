import { parseAsStringLiteral } from "nuqs/server";

/**
 * What a log's URL asked for that the page could not use. The parsers drop a value they cannot
 * read (a hand-edited `status=bogus`, `limit=1000000`), so the page would otherwise show the
 * unfiltered view as if that were what the link meant; these messages say what was ignored and
 * what the key takes instead.
 */

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** How one URL key is read: its name on the page, what it accepts, and its parser's parse. */
export type SearchParamRule = {
  label: string;
  /** Completes "use …": what the key takes. */
  accepts: string;
  /** Null for a value the page cannot use (the route's nuqs parser's `parse`). */
  parse: (value: string) => unknown;
  /** Comma-separated values, each read on its own (a list filter such as status). */
  list?: boolean;
};

export function unusableSearchParams(
  raw: RawSearchParams,
  rules: Record<string, SearchParamRule>,
): string[] {
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const given = raw[key];
    if (given === undefined) continue;
    const values = Array.isArray(given) ? given : [given];
    if (values.length > 1) {
      problems.push(
        `${rule.label} was given ${values.length} times; only the first is used (${rule.accepts}).`,
      );
    }
    const first = values[0] ?? "";
    const items = rule.list ? first.split(",").filter((item) => item !== "") : [first];
    const unusable = items.filter((item) => item !== "" && rule.parse(item) === null);
    if (unusable.length > 0) {
      const quoted = unusable.map((item) => JSON.stringify(item)).join(", ");
      problems.push(
        `${rule.label} ${quoted} ${unusable.length === 1 ? "was" : "were"} ignored: use ${rule.accepts}.`,
      );
    }
  }
  return problems;
}

/** "a, b or c", each quoted as it is written in the URL. */
export function oneOf(values: readonly (string | number)[]): string {
  const quoted = values.map((value) => `"${value}"`);
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`
    : `${quoted[0]}`;
}

/** A list filter of known values (statuses): each comma-separated value read on its own. */
export function oneOrMoreOfRule(label: string, values: readonly string[]): SearchParamRule {
  return {
    label,
    accepts: `${oneOf(values)}, several separated by commas`,
    parse: parseAsStringLiteral(values).parse,
    list: true,
  };
}
