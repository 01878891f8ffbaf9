// Replays kept between blames (what store/replay-cache.ts keeps on disk): where a replay of a file's events ended,
// and the key of the history it replayed. A blame whose history has the same key starts from the kept chain and only
// diffs it with the text on disk; everything the replay reads is in the key, so both ways give the same answer.

import { createHash } from "node:crypto";
import type { EditEvent } from "../events/edit-event";
import type { Chain } from "./chain";
import type { Claim } from "./fallback";
import type { PersonEditOptions } from "./person-edits";

/**
 * Where a replay of a file's events ends (before the last diff, with the text on disk), as `Replays` keep it: the
 * chain's lines and owner codes (null: no content of the current history is known), the claims of the events that
 * could not be replayed, when the file was created and how many events fell back.
 */
export interface ReplayState {
  chain: { lines: string[]; finalNewline: boolean; owners: number[] } | null;
  claims: Claim[];
  created: string | null;
  fallbacks: number;
}

/** Replays kept between blames of one file (store/replay-cache.ts), by the key of the history replayed. */
export interface Replays {
  /** What names an event's change as stored (its place and checksum), or undefined when nothing does. */
  tagOf(event: EditEvent): string | undefined;
  /** The state kept for `key`, valid for a history of `events` events; undefined when none is. */
  get(key: string, events: number): ReplayState | undefined;
  put(key: string, state: ReplayState): void;
}

/**
 * The key of a replay: everything it reads of the events (in replay order: ids, files, actions, times, and where
 * each change is stored, which names its bytes), the options, and this build (whose replay may differ). Undefined
 * when an event's change has no tag (not from the index's files).
 */
export function replayKey(sorted: readonly EditEvent[], options: PersonEditOptions, replays: Replays): string | undefined {
  // One JSON text of every value: unambiguous whatever characters trace ids hold.
  const parts: (string | boolean | number)[] = [__AI_BLAME_VERSION__, options.strictWhitespace, sorted.length];
  for (const event of sorted) {
    const tag = replays.tagOf(event);
    if (tag === undefined) return undefined;
    parts.push(event.id, event.file, event.action, event.timestamp, tag);
  }
  return createHash("sha1").update(JSON.stringify(parts)).digest("hex");
}

/** A chain as a replay left it (kept by `Replays`): its text is joined from the lines when first needed. */
export function restoredChain(kept: NonNullable<ReplayState["chain"]>): Chain {
  return { lines: kept.lines, finalNewline: kept.finalNewline, owners: kept.owners, pieces: [], starts: null, textStale: true, fp: null };
}
