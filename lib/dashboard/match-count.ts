// Building an Intl formatter costs far more than using one, and this runs on every log page.
const countFormat = new Intl.NumberFormat("en");

/**
 * A log page's count of matching rows in words: exact ("3 matching entries"), estimated
 * ("About 230,000 matching entries (estimated)"), or only bounded ("More than 10,000 …").
 */
export function describeMatchCount(
  stats: { total: number; exact: boolean; atLeast: boolean },
  noun: { one: string; many: string },
): string {
  if (stats.atLeast)
    return `More than ${countFormat.format(stats.total - 1)} matching ${noun.many}`;
  if (!stats.exact)
    return `About ${countFormat.format(stats.total)} matching ${noun.many} (estimated)`;
  return stats.total === 1
    ? `1 matching ${noun.one}`
    : `${countFormat.format(stats.total)} matching ${noun.many}`;
}
