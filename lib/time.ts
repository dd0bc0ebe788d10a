const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** Parses a duration such as `90s`, `15m` or `1h` into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  return Number(amount) * UNIT_MS[unit];
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function epochSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Whether PostgreSQL can take `date` as JavaScript writes it: years 0001 to 9999 in UTC. Outside
 * them toISOString() gives year 0000 or a six-digit year, which timestamptz refuses, and the
 * query fails.
 */
export function isStorableInstant(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

export const INSTANT_RANGE_MESSAGE = "must fall between the years 0001 and 9999 (UTC)";
