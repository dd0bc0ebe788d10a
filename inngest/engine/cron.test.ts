import { describe, expect, it } from "vitest";
import { CronSyntaxError, parseCron } from "./cron";
import { parseTimeString, resolveWakeTime } from "./duration";

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) =>
  parseCron(expression).next(at(after))?.toISOString();

describe("parseCron", () => {
  it("finds the next minute that matches, strictly after the given time", () => {
    expect(next("*/15 * * * *", "2026-03-01T10:07:30Z")).toBe("2026-03-01T10:15:00.000Z");
    expect(next("*/15 * * * *", "2026-03-01T10:15:00Z")).toBe("2026-03-01T10:30:00.000Z");
    expect(next("0 9 * * *", "2026-03-01T09:00:00Z")).toBe("2026-03-02T09:00:00.000Z");
  });

  it("reads lists, ranges, steps from a start, and names", () => {
    expect(next("5,35 8-10 * * *", "2026-03-01T10:36:00Z")).toBe("2026-03-02T08:05:00.000Z");
    expect(next("10/20 * * * *", "2026-03-01T10:31:00Z")).toBe("2026-03-01T10:50:00.000Z");
    expect(next("0 0 1 JAN,jul *", "2026-03-01T00:00:00Z")).toBe("2026-07-01T00:00:00.000Z");
    expect(next("0 12 * * MON-FRI", "2026-03-06T12:00:00Z")).toBe("2026-03-09T12:00:00.000Z");
  });

  it("treats 7 as Sunday and matches either day field when both are restricted", () => {
    expect(next("0 0 * * 7", "2026-03-02T00:00:00Z")).toBe("2026-03-08T00:00:00.000Z");
    // The 13th, or any Friday, whichever comes first.
    expect(next("0 0 13 * 5", "2026-03-01T00:00:00Z")).toBe("2026-03-06T00:00:00.000Z");
  });

  it("accepts macros and skips impossible-for-now dates", () => {
    expect(next("@hourly", "2026-03-01T10:00:00Z")).toBe("2026-03-01T11:00:00.000Z");
    expect(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(parseCron("0 0 31 2 *").next(at("2026-01-01T00:00:00Z"))).toBeNull();
  });

  it("runs in a time zone given as a TZ= prefix", () => {
    // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
    expect(next("TZ=Europe/Paris 0 9 * * *", "2026-01-10T12:00:00Z")).toBe(
      "2026-01-11T08:00:00.000Z",
    );
    expect(next("TZ=Europe/Paris 0 9 * * *", "2026-07-10T12:00:00Z")).toBe(
      "2026-07-11T07:00:00.000Z",
    );
    // Kolkata is UTC+5:30: local midnight is 18:30 UTC.
    expect(next("CRON_TZ=Asia/Kolkata 0 0 * * *", "2026-03-01T00:00:00Z")).toBe(
      "2026-03-01T18:30:00.000Z",
    );
  });

  it("fires once per local day across both daylight-saving changes", () => {
    const slots = (expression: string, after: string, count: number) => {
      const schedule = parseCron(expression);
      const found: string[] = [];
      let from = at(after);
      for (let n = 0; n < count; n++) {
        const slot = schedule.next(from);
        if (!slot) break;
        found.push(slot.toISOString());
        from = slot;
      }
      return found;
    };
    // Paris springs forward at 02:00 on 29 March 2026: 02:30 does not exist that day, and the
    // job runs as the clocks reach 03:00 instead of not at all.
    expect(slots("TZ=Europe/Paris 30 2 * * *", "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    // It falls back at 03:00 on 25 October 2026: 02:30 happens twice, the job runs once.
    expect(slots("TZ=Europe/Paris 30 2 * * *", "2026-10-23T12:00:00Z", 3)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
    // The Monday after the spring change (a 23-hour Sunday) keeps its run.
    expect(slots("TZ=Europe/Paris 0 0 * * MON", "2026-03-28T12:00:00Z", 2)).toEqual([
      "2026-03-29T22:00:00.000Z",
      "2026-04-05T22:00:00.000Z",
    ]);
    // An hourly job runs every hour that passes, the repeated one included.
    expect(slots("TZ=Europe/Paris 0 * * * *", "2026-10-24T23:30:00Z", 3)).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T02:00:00.000Z",
    ]);
  });

  it("rejects what it cannot read", () => {
    for (const bad of [
      "* * * *",
      "60 * * * *",
      "*/0 * * * *",
      "5-1 * * * *",
      "TZ=Nowhere/Else * * * * *",
    ]) {
      expect(() => parseCron(bad), bad).toThrow(CronSyntaxError);
    }
  });
});

describe("time strings", () => {
  it("parses Inngest durations, compound ones included", () => {
    expect(parseTimeString("1s")).toBe(1_000);
    expect(parseTimeString("2h30m10s")).toBe(9_010_000);
    expect(parseTimeString("1w")).toBe(604_800_000);
    expect(parseTimeString("1.5m")).toBe(90_000);
    expect(parseTimeString("soon")).toBeNull();
    expect(parseTimeString("")).toBeNull();
  });

  it("resolves a sleep to a wake time, relative or absolute", () => {
    expect(resolveWakeTime("10s", 1_000)).toBe(11_000);
    expect(resolveWakeTime("2030-01-01T00:00:00.000Z", 0)).toBe(Date.UTC(2030, 0, 1));
    expect(resolveWakeTime("whenever", 0)).toBeNull();
  });
});
