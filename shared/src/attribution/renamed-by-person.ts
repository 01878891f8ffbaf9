// Renames no trace recorded: a person's `mv`, an IDE refactoring, a rename committed in git. A file whose own events
// do not start its history is looked up as a rename target, but only when some file with AI events has vanished from
// disk (a rename leaves one behind, so the common case costs nothing): first through git's rename detection on the
// committed history (`git log --follow`), then, for a rename not committed yet, by content: the vanished file whose
// AI history explains at least half of this file's non-blank lines.

import { extname, basename } from "node:path";
import type { EditEvent } from "../events/edit-event";
import { historyOf, type PersonRename } from "../events/renames";
import type { ContentStore } from "../store/content-store";
import type { CommittedRename } from "../git/follow-renames";
import { attributeFile } from "./attribute";

export interface RenameLookup {
  /** A file's own events. */
  eventsOf(file: string): readonly EditEvent[];
  /** Files with AI events that no longer exist on disk. */
  vanished(): readonly string[];
  /** git's renames into a file (the snapshot keeps them: they do not change with the text). */
  committedRenames(file: string): readonly CommittedRename[];
  contents: ContentStore;
}

/** Vanished files tried by content (same extension; same name first). */
const MAX_CANDIDATES = 8;
/** Share of the non-blank lines the old history must explain for a content match. */
const MIN_EXPLAINED = 0.5;

export function personRenamesInto(file: string, text: string, lookup: RenameLookup): PersonRename[] {
  const vanished = lookup.vanished();
  if (vanished.length === 0) return [];
  const gone = new Set(vanished);
  const committed = lookup.committedRenames(file).filter((r) => gone.has(r.from) || lookup.eventsOf(r.from).length > 0);
  if (committed.length > 0) return committed.map((r) => ({ from: r.from, until: r.at }));
  const found = renamedByContent(file, text, vanished, lookup);
  return found === null ? [] : [{ from: found, until: null }];
}

function renamedByContent(file: string, text: string, vanished: readonly string[], lookup: RenameLookup): string | null {
  const ext = extname(file);
  const name = basename(file);
  const candidates = vanished
    .filter((f) => f !== file && extname(f) === ext)
    .sort((a, b) => Number(basename(b) === name) - Number(basename(a) === name))
    .slice(0, MAX_CANDIDATES);
  let best: string | null = null;
  let bestShare = MIN_EXPLAINED;
  for (const candidate of candidates) {
    const result = attributeFile(historyOf(candidate, (f) => lookup.eventsOf(f)), lookup.contents, text);
    let lines = 0;
    let explained = 0;
    for (const line of result.lines) {
      if (line.text.trim() === "") continue;
      lines++;
      if (line.owner !== null) explained++;
    }
    if (lines > 0 && explained / lines >= bestShare) {
      best = candidate;
      bestShare = explained / lines;
    }
  }
  return best;
}
