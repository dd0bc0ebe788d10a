import { describe, expect, it } from "vitest";
import { describeTimeRange, isReversed, timeBoundsOf } from "./time-range-search-params";

const presets = { "1h": { label: "Last hour", ms: 3_600_000 } };
const now = new Date("2026-11-26T12:00:00.000Z");
const none = { range: null, from: null, to: null };

describe("timeBoundsOf", () => {
  it("reaches back from now for a preset, open-ended unless the end is pinned", () => {
    const hourAgo = new Date("2026-11-26T11:00:00.000Z");
    expect(timeBoundsOf({ ...none, range: "1h" }, presets, now)).toEqual({ from: hourAgo });
    expect(timeBoundsOf({ ...none, range: "1h" }, presets, now, { pinEnd: true })).toEqual({
      from: hourAgo,
      to: now,
    });
  });

  it("ignores stray custom bounds when a preset is chosen", () => {
    const stray = { range: "1h" as const, from: new Date(0), to: new Date(1) };
    expect(timeBoundsOf(stray, presets, now).from).toEqual(new Date("2026-11-26T11:00:00.000Z"));
    expect(timeBoundsOf(stray, presets, now).to).toBeUndefined();
  });

  it("keeps a custom range's bounds as given, either of them open", () => {
    const from = new Date("2026-11-01T00:00:00.000Z");
    const to = new Date("2026-11-02T00:00:00.000Z");
    expect(timeBoundsOf({ range: "custom", from, to }, presets, now)).toEqual({ from, to });
    expect(timeBoundsOf({ range: "custom", from, to: null }, presets, now)).toEqual({
      from,
      to: undefined,
    });
    // Bounds without `range=custom` (a hand-written URL) still apply.
    expect(timeBoundsOf({ ...none, to }, presets, now)).toEqual({ from: undefined, to });
  });

  it("selects all time when nothing is set", () => {
    expect(timeBoundsOf(none, presets, now)).toEqual({});
  });
});

describe("describeTimeRange", () => {
  it("names a preset, a custom range and its open ends", () => {
    expect(describeTimeRange({ ...none, range: "1h" }, presets)).toBe("Time range: last hour");
    const from = new Date("2026-11-20T00:00:00.000Z");
    const to = new Date("2026-11-21T00:00:00.000Z");
    expect(describeTimeRange({ range: "custom", from, to }, presets)).toBe(
      "Time range: 2026-11-20T00:00:00.000Z to 2026-11-21T00:00:00.000Z",
    );
    expect(describeTimeRange({ range: "custom", from, to: null }, presets)).toBe(
      "Time range: 2026-11-20T00:00:00.000Z to now",
    );
    expect(describeTimeRange({ ...none, to }, presets)).toBe(
      "Time range: the beginning to 2026-11-21T00:00:00.000Z",
    );
    expect(describeTimeRange(none, presets)).toBeNull();
  });

  it("says when a custom range ends before it starts, which alone matches nothing", () => {
    const from = new Date("2026-11-21T00:00:00.000Z");
    const to = new Date("2026-11-20T00:00:00.000Z");
    expect(isReversed({ from, to })).toBe(true);
    expect(isReversed({ from: to, to: from })).toBe(false);
    expect(isReversed({ from, to: from })).toBe(false);
    expect(describeTimeRange({ range: "custom", from, to }, presets)).toBe(
      "Time range: 2026-11-21T00:00:00.000Z to 2026-11-20T00:00:00.000Z, which ends before it starts",
    );
  });
});
