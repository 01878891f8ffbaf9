// The dates `--since`/`--until` accept: an ISO date (`2025-12-28`) or date-time, or a relative form as git's
// approxidate reads it — `2.weeks`, `3 days ago`, `1.week.2.days.ago`, `last month`, `yesterday`, `now`. A relative
// form is turned into an absolute ISO instant when the flag is parsed, so every command filters on the same instant.

import { InvalidArgumentError } from "commander";

const MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  fortnight: 14 * 86_400_000,
};

/** A unit word (singular, plural or short) to its name; months and years step the calendar, the rest are fixed. */
function unitOf(word: string): string | null {
  const w = word.toLowerCase();
  if (/^(s|secs?|seconds?)$/.test(w)) return "second";
  if (/^(mins?|minutes?)$/.test(w)) return "minute";
  if (/^(h|hrs?|hours?)$/.test(w)) return "hour";
  if (/^days?$/.test(w)) return "day";
  if (/^weeks?$/.test(w)) return "week";
  if (/^fortnights?$/.test(w)) return "fortnight";
  if (/^months?$/.test(w)) return "month";
  if (/^years?$/.test(w)) return "year";
  return null;
}

/** `count` units before `from` (months and years by the local calendar, as git does). */
function stepBack(from: Date, count: number, unit: string): Date {
  const at = new Date(from.getTime());
  if (unit === "month") at.setMonth(at.getMonth() - count);
  else if (unit === "year") at.setFullYear(at.getFullYear() - count);
  else at.setTime(at.getTime() - count * (MS[unit] ?? 0));
  return at;
}

/**
 * The instant a relative date names, or null when the text is not one. Words are separated by spaces or dots; a
 * trailing `ago` is optional (git reads `2.weeks` as two weeks ago); `last` stands for one.
 */
export function parseRelativeDate(text: string, now: Date): Date | null {
  const words = text.trim().toLowerCase().split(/[\s.]+/).filter((w) => w !== "");
  if (words.length === 0) return null;
  if (words.length === 1 && words[0] === "now") return now;
  if (words.length === 1 && words[0] === "yesterday") return stepBack(now, 1, "day");
  if (words[words.length - 1] === "ago") words.pop();
  if (words.length === 0 || words.length % 2 !== 0) return null;
  let at = now;
  for (let i = 0; i < words.length; i += 2) {
    const amount = words[i] ?? "";
    const count = amount === "last" || amount === "a" || amount === "an" ? 1 : /^\d{1,6}$/.test(amount) ? Number(amount) : -1;
    const unit = unitOf(words[i + 1] ?? "");
    if (count < 0 || unit === null) return null;
    at = stepBack(at, count, unit);
  }
  return at;
}

/**
 * A date for --since/--until: `YYYY-MM-DD` (kept as a bare date: `--until` includes that whole day), an ISO
 * date-time, or a relative form (returned as an ISO instant). Commander reports a rejection as a usage error.
 */
export function parseDateArg(value: string): string {
  const now = new Date();
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const dateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed);
  if ((dateOnly || dateTime) && !Number.isNaN(Date.parse(trimmed.replace(" ", "T")))) return trimmed.replace(" ", "T");
  const relative = parseRelativeDate(trimmed, now);
  if (relative !== null && !Number.isNaN(relative.getTime())) return relative.toISOString();
  throw new InvalidArgumentError(
    "expected a date YYYY-MM-DD, a date-time YYYY-MM-DDTHH:MM[:SS][Z], or a relative date such as 2.weeks, 3 days ago, yesterday",
  );
}
