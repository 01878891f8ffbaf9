// normalizeTimestamp's shortcut for canonical UTC strings must agree with `new Date(x).toISOString()` everywhere:
// every day of leap and common years, field limits, bad digits, other formats and the epoch boundary.

import { describe, expect, it } from "vitest";
import { normalizeTimestamp } from "../../src/traces/common";

/** The definition: a valid date from the epoch on, as ISO UTC; else undefined. */
function slow(value: string): string | undefined {
  if (value.trim() === "") return undefined;
  const time = new Date(value).getTime();
  if (Number.isNaN(time) || time < 0 || time > 8.64e15) return undefined;
  return new Date(value).toISOString();
}

describe("normalizeTimestamp", () => {
  it("agrees with Date on canonical strings, in range and out of it", () => {
    const samples: string[] = [];
    for (const year of ["1969", "1970", "2000", "2024", "2025", "2100", "9999"]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          const mm = String(month).padStart(2, "0");
          const dd = String(day).padStart(2, "0");
          samples.push(`${year}-${mm}-${dd}T12:30:45.123Z`);
        }
      }
    }
    samples.push("2025-09-01T23:59:59.999Z", "2025-09-01T24:00:00.000Z", "2025-09-01T23:60:00.000Z", "2025-09-01T23:59:60.000Z");
    samples.push("2025-09-01T08:00:00.0a0Z", "2025-09-01 08:00:00.000Z", "2025-09-01T08:00:00.000+", "2025-09-01T08:00:00Z", "yesterday", "");
    for (const s of samples) expect(normalizeTimestamp(s), s).toBe(slow(s));
  });

  it("normalizes other forms and numbers as before", () => {
    expect(normalizeTimestamp("2025-11-02T10:00:00+02:00")).toBe("2025-11-02T08:00:00.000Z");
    expect(normalizeTimestamp(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(normalizeTimestamp(null)).toBeUndefined();
  });
});
