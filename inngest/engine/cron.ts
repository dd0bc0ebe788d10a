import { Cron } from "croner";

// Cron triggers as Inngest accepts them in `{ cron }`: five fields (minute hour day-of-month
// month day-of-week) with lists, ranges, steps (`5/15` too), month and weekday names, the
// @hourly family, and an optional `TZ=Zone/Name ` (or `CRON_TZ=`) prefix; UTC otherwise.
// croner reads them, and crosses daylight-saving changes as cron does: a time the spring
// change skips runs as the clocks reach it, a time the autumn change repeats runs once.

export interface CronSchedule {
  readonly expression: string;
  /** The first fire time strictly after `after`, or null if there is none. */
  next(after: Date): Date | null;
}

export class CronSyntaxError extends Error {
  override name = "CronSyntaxError";
}

export function parseCron(expression: string): CronSchedule {
  let pattern = expression.trim();
  let timezone = "UTC";
  const zone = /^(?:CRON_)?TZ=(\S+)\s+/.exec(pattern);
  if (zone) {
    timezone = zone[1] as string;
    pattern = pattern.slice(zone[0].length);
    // croner would only notice an unknown zone when asked for a time.
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    } catch {
      throw new CronSyntaxError(`Unknown time zone "${timezone}" in cron "${expression}"`);
    }
  }
  let cron: Cron;
  try {
    // No callback: croner only computes times, it schedules nothing (CronTimers does).
    cron = new Cron(pattern, { timezone, mode: "5-part", sloppyRanges: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CronSyntaxError(`Cron "${expression}": ${reason}`);
  }
  return { expression, next: (after) => cron.nextRun(after) };
}
