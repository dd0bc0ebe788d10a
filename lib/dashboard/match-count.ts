/**
 * A log page's count of matching rows in words: exact ("3 matching entries"), estimated
 * ("About 230,000 matching entries (estimated)"), or only bounded ("More than 10,000 …").
 */
export function describeMatchCount(
  stats: { total: number; exact: boolean; atLeast: boolean },
  noun: { one: string; many: string },
): string {
  const format = new Intl.NumberFormat("en");
  if (stats.atLeast) return `More than ${format.format(stats.total - 1)} matching ${noun.many}`;
  if (!stats.exact) return `About ${format.format(stats.total)} matching ${noun.many} (estimated)`;
  return stats.total === 1
    ? `1 matching ${noun.one}`
    : `${format.format(stats.total)} matching ${noun.many}`;
}
