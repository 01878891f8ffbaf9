// Event filters shared by every command (SPEC §4): pattern, target, time range, first-and-last, minimum change size.
// Pure functions over event lists; the order of application follows the reference (pattern/time first, then
// per-file size and first/last selection, then target), and the kept events stay in their input order.

import picomatch from "picomatch";
import { AiBlameError } from "../util/errors";
import { compareEvents, type EditEvent } from "./edit-event";

export interface EventFilter {
  /** Substring or glob on the project-relative path (`--pattern`). */
  pattern?: string | null;
  /** Substring of the project-relative path (report/annotate TARGET). */
  target?: string | null;
  /** ISO date or date-time; events before are dropped (`--since`). */
  since?: string | null;
  /** ISO date or date-time; events after are dropped (`--until`, a bare date includes that whole day). */
  until?: string | null;
  /** Keep only the first and the last event of each file (`--initial-and-recent`). */
  initialAndRecent?: boolean;
  /** Drop intermediate events with changeSize < N; a file's first and last events are kept (`--min-change-size`). */
  minChangeSize?: number;
  /** Only these agents. */
  agents?: string[] | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const GLOB_CHARS = /[*?[\]{}]|^!/;

/**
 * A `--since`/`--until` value as epoch milliseconds: a bare `YYYY-MM-DD` is that day in UTC (for `until`, the end of
 * it), a date-time without a zone is taken as UTC. Throws a `usage` error for anything else.
 */
export function parseFilterTime(value: string, bound: "since" | "until"): number {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00.000Z`);
    if (!Number.isNaN(start)) return bound === "until" ? start + DAY_MS - 1 : start;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
    const ms = Date.parse(zoned.replace(" ", "T"));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new AiBlameError("usage", `invalid --${bound} value "${value}": expected YYYY-MM-DD or an ISO 8601 date-time`);
}

/** A predicate for `--pattern`: a glob (picomatch; without `/` it matches the file name at any depth) or a substring. */
export function patternMatcher(pattern: string): (relPath: string) => boolean {
  if (!GLOB_CHARS.test(pattern)) return (rel) => rel.includes(pattern);
  const isMatch = picomatch(pattern, { dot: true, basename: !pattern.includes("/") });
  return (rel) => isMatch(rel);
}

function agentMatches(wanted: string[], agent: string): boolean {
  return wanted.some((w) => w === agent || agent.startsWith(`${w}-`));
}

/** How a filter reads an item (an event, or a row of the index's event table). */
export interface FilterAccess<T> {
  agent(item: T): string;
  timestamp(item: T): string;
  file(item: T): string;
  changeSize(item: T): number;
  /** Orders two items of one file as compareEvents orders events. */
  compare(a: T, b: T): number;
  /** The item's project-relative path (for pattern and target). */
  relPath(item: T): string;
}

/** Applies a filter; `relPath` gives an event's project-relative path (for pattern and target). */
export function applyFilter(events: readonly EditEvent[], filter: EventFilter, relPath: (event: EditEvent) => string): EditEvent[] {
  return filterItems(events, filter, {
    agent: (e) => e.agent,
    timestamp: (e) => e.timestamp,
    file: (e) => e.file,
    changeSize: (e) => e.changeSize,
    compare: compareEvents,
    relPath,
  });
}

/** Applies a filter to items read through `access`; the kept items stay in their input order. */
export function filterItems<T>(items: readonly T[], filter: EventFilter, access: FilterAccess<T>): T[] {
  const since = filter.since ? parseFilterTime(filter.since, "since") : null;
  const until = filter.until ? parseFilterTime(filter.until, "until") : null;
  const pattern = filter.pattern ? patternMatcher(filter.pattern) : null;
  const agents = filter.agents && filter.agents.length > 0 ? filter.agents : null;

  let kept = items.filter((e) => {
    if (agents && !agentMatches(agents, access.agent(e))) return false;
    if (pattern && !pattern(access.relPath(e))) return false;
    if (since !== null || until !== null) {
      const t = Date.parse(access.timestamp(e));
      if (since !== null && !(t >= since)) return false;
      if (until !== null && !(t <= until)) return false;
    }
    return true;
  });

  const minSize = filter.minChangeSize ?? 0;
  if (minSize > 0 || filter.initialAndRecent) {
    const byFile = new Map<string, T[]>();
    for (const e of kept) {
      const file = access.file(e);
      const list = byFile.get(file);
      if (list) list.push(e);
      else byFile.set(file, [e]);
    }
    const selected = new Set<T>();
    for (const list of byFile.values()) {
      const ordered = [...list].sort(access.compare);
      const first = ordered[0]!;
      const last = ordered[ordered.length - 1]!;
      let chosen = ordered.filter((e) => e === first || e === last || access.changeSize(e) >= minSize);
      if (filter.initialAndRecent) chosen = chosen.filter((e) => e === first || e === last);
      for (const e of chosen) selected.add(e);
    }
    kept = kept.filter((e) => selected.has(e));
  }

  if (filter.target) {
    const target = filter.target;
    kept = kept.filter((e) => access.relPath(e).includes(target));
  }
  return kept;
}
