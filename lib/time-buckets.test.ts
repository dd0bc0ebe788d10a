import { describe, expect, it } from "vitest";
import { type BucketStats, chartStatsOf } from "./time-buckets";

const HOUR = 3_600_000;
const start = Date.parse("2026-11-20T10:00:00Z");

function bucket(index: number, counts: { success: number; failure: number }) {
  return {
    start: new Date(start + index * HOUR),
    end: new Date(start + (index + 1) * HOUR),
    counts,
    total: counts.success + counts.failure,
  };
}

describe("chartStatsOf", () => {
  it("turns buckets into one column of counts per status, starting at the first bucket", () => {
    const stats: BucketStats<"success" | "failure"> = {
      total: 9,
      exact: true,
      atLeast: false,
      range: { from: new Date(start), to: new Date(start + 3 * HOUR) },
      bucketMs: HOUR,
      buckets: [
        bucket(0, { success: 2, failure: 0 }),
        bucket(1, { success: 0, failure: 0 }),
        bucket(2, { success: 4, failure: 3 }),
      ],
    };
    expect(chartStatsOf(stats)).toEqual({
      total: 9,
      exact: true,
      bucketMs: HOUR,
      firstBucketStart: start,
      bucketCount: 3,
      counts: { success: [2, 0, 4], failure: [0, 0, 3] },
    });
  });

  it("gives an empty chart when nothing matched", () => {
    const stats: BucketStats<"success"> = {
      total: 0,
      exact: true,
      atLeast: false,
      range: null,
      bucketMs: HOUR,
      buckets: [],
    };
    expect(chartStatsOf(stats)).toMatchObject({ bucketCount: 0, counts: {} });
  });
});
