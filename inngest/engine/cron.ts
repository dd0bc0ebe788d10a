// Five-field cron (minute hour day-of-month month day-of-week), minute granularity, as Inngest
// accepts in `{ cron }` triggers: lists, ranges, steps, month and weekday names, the @hourly
// family, and an optional `TZ=Zone/Name ` prefix (UTC otherwise).

export interface CronSchedule {
  readonly expression: string;
  /** The first fire time strictly after `after`, or null if none within five years. */
  next(after: Date): Date | null;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SEARCH_LIMIT_MS = 5 * 366 * DAY_MS;

interface Field {
  allowed: Set<number>;
  // `*` (or `?`): matters for the day-of-month / day-of-week rule below.
  unrestricted: boolean;
}

interface LocalTime {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  daysInMonth: number;
}

export class CronSyntaxError extends Error {
  override name = "CronSyntaxError";
}

export function parseCron(expression: string): CronSchedule {
  let rest = expression.trim();
  let timeZone: string | undefined;
  const zone = /^(?:CRON_)?TZ=(\S+)\s+/.exec(rest);
  if (zone) {
    timeZone = zone[1] as string;
    rest = rest.slice(zone[0].length);
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      throw new CronSyntaxError(`Unknown time zone "${timeZone}" in cron "${expression}"`);
    }
  }
  const parts = (MACROS[rest.toLowerCase()] ?? rest).split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`Cron "${expression}" must have 5 fields`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = [
    parseField(parts[0] as string, 0, 59, [], expression),
    parseField(parts[1] as string, 0, 23, [], expression),
    parseField(parts[2] as string, 1, 31, [], expression),
    parseField(parts[3] as string, 1, 12, MONTHS, expression),
    parseField(parts[4] as string, 0, 7, WEEKDAYS, expression),
  ] as const;
  // 7 is Sunday too.
  if (dayOfWeek.allowed.delete(7)) dayOfWeek.allowed.add(0);
  const localTime = timeZone ? zonedTime(timeZone) : utcTime;

  const dayMatches = (time: LocalTime) => {
    const byMonthDay = dayOfMonth.allowed.has(time.day);
    const byWeekday = dayOfWeek.allowed.has(time.weekday);
    // Classic cron: when both day fields are restricted, either one matching is enough.
    if (!dayOfMonth.unrestricted && !dayOfWeek.unrestricted) return byMonthDay || byWeekday;
    return byMonthDay && byWeekday;
  };

  return {
    expression,
    next(after) {
      let candidate = Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      const limit = candidate + SEARCH_LIMIT_MS;
      // Jump over whole months, days and hours that cannot match; the local fields are read
      // again after every jump, so daylight-saving shifts only cost an extra iteration.
      while (candidate < limit) {
        const time = localTime(candidate);
        const intoDay = time.hour * HOUR_MS + time.minute * MINUTE_MS;
        if (!month.allowed.has(time.month)) {
          candidate += (time.daysInMonth - time.day + 1) * DAY_MS - intoDay;
        } else if (!dayMatches(time)) {
          candidate += DAY_MS - intoDay;
        } else if (!hour.allowed.has(time.hour)) {
          candidate += HOUR_MS - time.minute * MINUTE_MS;
        } else if (!minute.allowed.has(time.minute)) {
          candidate += MINUTE_MS;
        } else {
          return new Date(candidate);
        }
      }
      return null;
    },
  };
}

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[],
  expression: string,
): Field {
  const fail = (why: string) => new CronSyntaxError(`Cron "${expression}": ${why} in "${text}"`);
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    // Month names count from 1, weekday names from 0.
    if (named >= 0) return names === MONTHS ? named + 1 : named;
    if (!/^\d+$/.test(token)) throw fail(`"${token}" is not a number`);
    const number = Number(token);
    if (number < min || number > max) throw fail(`${number} is outside ${min}-${max}`);
    return number;
  };
  const allowed = new Set<number>();
  let unrestricted = false;
  for (const item of text.split(",")) {
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined || !range) throw fail("malformed item");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw fail(`bad step "${stepText}"`);
    let from: number;
    let to: number;
    if (range === "*" || range === "?") {
      from = min;
      to = max;
      if (stepText === undefined) unrestricted = true;
    } else if (range.includes("-")) {
      const [start, end] = range.split("-");
      from = value(start ?? "");
      to = value(end ?? "");
      if (from > to) throw fail(`range ${from}-${to} runs backwards`);
    } else {
      from = value(range);
      // `5/15` means from 5 to the end of the field, every 15.
      to = stepText === undefined ? from : max;
    }
    for (let number = from; number <= to; number += step) allowed.add(number);
  }
  return { allowed, unrestricted };
}

function utcTime(instant: number): LocalTime {
  const date = new Date(instant);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    month: month + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    daysInMonth: new Date(Date.UTC(year, month + 1, 0)).getUTCDate(),
  };
}

function zonedTime(timeZone: string): (instant: number) => LocalTime {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  });
  return (instant) => {
    const fields: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(instant))) fields[part.type] = part.value;
    const year = Number(fields.year);
    const month = Number(fields.month);
    return {
      month,
      day: Number(fields.day),
      weekday: WEEKDAYS.indexOf((fields.weekday ?? "").toUpperCase()),
      hour: Number(fields.hour),
      minute: Number(fields.minute),
      daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
    };
  };
}
