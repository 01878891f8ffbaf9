// A file's history across renames: the events of the file itself plus, for each rename into it, the events of the
// file it was renamed from up to that rename (and so on back, a few renames deep). Renames come from the traces
// (Codex `*** Move to:`, a shell `mv` in a Claude Bash call: a CREATED event with `movedFrom`) or from elsewhere (a
// person's rename found through git or by content: `PersonRename`). The rename's own DELETED event at the old path
// is left out, so the replay carries the old content on instead of starting a new history.

import { compareEvents, type EditEvent } from "./edit-event";

/** A rename no trace recorded: `from` became the file, after every event of `from` up to `until` (null: all). */
export interface PersonRename {
  from: string;
  until: string | null;
}

/** Renames followed back from one file (a chain a → b → c → … longer than this is cut). */
const MAX_DEPTH = 8;

/**
 * The events of `file` with the history of the files renamed into it. `eventsOf` gives a file's own events;
 * `personRenames` the renames into `file` that no trace recorded.
 */
export function historyOf(
  file: string,
  eventsOf: (file: string) => readonly EditEvent[],
  personRenames: readonly PersonRename[] = [],
): EditEvent[] {
  const out: EditEvent[] = [];
  const seen = new Set([file]);
  collect(file, () => true, eventsOf, out, seen, 0);
  for (const rename of personRenames) {
    if (seen.has(rename.from)) continue;
    seen.add(rename.from);
    const until = rename.until;
    collect(rename.from, (e) => until === null || e.timestamp <= until, eventsOf, out, seen, 1);
  }
  return out;
}

/** Whether the file's own events start its history (a creation, a recorded rename into it included). */
export function hasOrigin(events: readonly EditEvent[]): boolean {
  return events.some((e) => e.action === "CREATED");
}

function collect(
  file: string,
  keep: (e: EditEvent) => boolean,
  eventsOf: (file: string) => readonly EditEvent[],
  out: EditEvent[],
  seen: Set<string>,
  depth: number,
): void {
  for (const e of eventsOf(file)) {
    if (!keep(e)) continue;
    // The old path's half of a rename into a file of this history: the replay goes on with the new path's events.
    if (e.action === "DELETED" && e.change.movedTo !== undefined && seen.has(e.change.movedTo)) continue;
    out.push(e);
    const from = e.action === "CREATED" ? e.change.movedFrom : undefined;
    if (from !== undefined && depth < MAX_DEPTH && !seen.has(from)) {
      seen.add(from);
      collect(from, (older) => compareEvents(older, e) < 0, eventsOf, out, seen, depth + 1);
    }
  }
}
