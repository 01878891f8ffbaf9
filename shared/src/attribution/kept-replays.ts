// Replays kept between blames (what store/replay-cache.ts keeps on disk): where a replay of a file's events ended,
// and the key of the history it replayed. A blame whose history has the same key starts from the kept chain and only
// diffs it with the text on disk; everything the replay reads is in the key, so both ways give the same answer.
// A kept replay may also name where its history came from (the index records its events were read from, as the
// index's sources digest says: kept history), with the owners its lines name: while those sources are unchanged the
// history is too, so the next blame neither reads nor decodes an event (attributeKept).

import { createHash } from "node:crypto";
import type { LineOwnerJson } from "../contract";
import type { EditEvent } from "../events/edit-event";
import { type Chain, CHANGED_AFTER_AI, chainOf, NOT_IN_TRACES } from "./chain";
import { applyClaims, type Claim } from "./fallback";
import { advanceByPerson, EVENT_INDEX, type PersonEditOptions } from "./person-edits";
import { present, toLineOwner } from "./present";
import { normalizeEol, splitLines } from "./text";
import { hashContent } from "../store/content-store";
import type { AttributionResult } from "./attribute";

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

/**
 * Where a blame's history came from: the files whose events it read, whether it looked for renames by a person, and
 * the digest of those and of the index records the events came from (the snapshot makes it and checks it); `scope`,
 * when known, the digest of every record in scope (unchanged: every event is, without reading which records hold
 * the file's).
 */
export interface HistorySources {
  sources: string;
  files: string[];
  personRenames: boolean;
  scope?: string;
}

/** The owners of a kept replay's history, for each event index its state names. */
export type KeptOwners = [index: number, owner: LineOwnerJson][];

/** The owner codes of the lines of a text (by its content hash) after the kept chain's last diff and claims. */
export interface FinalOwners {
  text: string;
  owners: number[];
}

/** A replay to keep: the key of its history, that history's length, the state, and optionally its sources. */
export interface NewReplay {
  key: string;
  events: number;
  state: ReplayState;
  /** With the owners its state names, so a blame of the same sources needs no event (attributeKept). */
  history?: HistorySources & { owners: KeptOwners };
  /** The owners of the last text blamed from it, when that text is not the chain's own. */
  final?: FinalOwners;
}

/**
 * A replay as kept: its state's chain and claims are parsed (and checked) when first asked for (undefined when
 * damaged); a blame that finds its final owners kept needs only the rest.
 */
export interface KeptReplay extends Omit<NewReplay, "state"> {
  created: string | null;
  fallbacks: number;
  state(): ReplayState | undefined;
}

/** Replays kept between blames of one file (store/replay-cache.ts). */
export interface Replays {
  /** What names an event's change as stored (its place and checksum), or undefined when nothing does. */
  tagOf(event: EditEvent): string | undefined;
  /** The replay kept for this file (of whatever history; its shape checked), or undefined when none is. */
  kept(): KeptReplay | undefined;
  put(replay: NewReplay): void;
  /**
   * Keeps the replay last put or read (`kept()`) again, with `change`: `final`, the owners of the text just blamed;
   * `history`, the same history's sources as found now.
   */
  keepAgain(change: Partial<Pick<NewReplay, "final" | "history">>): void;
}

/** A project's session ids kept for one digest of its scope (snapshot.ts sessionIds). */
export interface KeptSessionIds {
  get(scope: string): string[] | undefined;
  put(scope: string, ids: string[]): void;
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

/** The event indexes the state's owner codes and claims name, ascending. */
export function namedEvents(state: ReplayState): number[] {
  const named = new Set<number>();
  if (state.chain !== null) for (const code of state.chain.owners) if (code >= 0) named.add(code & EVENT_INDEX);
  for (const claim of state.claims) named.add(claim.owner);
  return [...named].sort((a, b) => a - b);
}

/** The replay of `sorted` (a history of `key`) to keep, with its sources and the owners its state names. */
export function replayToKeep(key: string, sorted: readonly EditEvent[], state: ReplayState, history: HistorySources | undefined): NewReplay {
  if (history === undefined) return { key, events: sorted.length, state };
  const owners = namedEvents(state).map((index): KeptOwners[number] => [index, toLineOwner(sorted[index] as EditEvent)]);
  return { key, events: sorted.length, state, history: { ...history, owners } };
}

/**
 * The attribution of `currentText` from a kept replay whose history is known to be unchanged (its sources are): the
 * owners kept for this very text, else the kept chain diffed with it as attributeFile does after a replay (then
 * kept as the replay's final owners). Undefined when the kept replay cannot serve (damaged, or an owner it names is
 * not kept): the caller replays.
 */
export function attributeKept(
  kept: KeptReplay & Required<Pick<KeptReplay, "history">>,
  currentText: string,
  options: PersonEditOptions,
  replays: Replays,
): AttributionResult | undefined {
  const owners = new Map(kept.history.owners);
  const text = hashContent(currentText);
  const result = (lines: readonly string[], codes: readonly number[]): AttributionResult | undefined => {
    for (const code of codes) if (code >= 0 && !owners.has(code & EVENT_INDEX)) return undefined;
    const lineOwners = present(lines, codes, (index) => owners.get(index) as LineOwnerJson);
    return { ...lineOwners, created: kept.created, events: kept.events, fallbacks: kept.fallbacks };
  };
  if (kept.final?.text === text) {
    const lines = splitLines(normalizeEol(currentText));
    if (lines.length === kept.final.owners.length) return result(lines, kept.final.owners);
  }
  const state = kept.state();
  if (state === undefined) return undefined;
  const chain = state.chain === null ? null : restoredChain(state.chain);
  const final = chain === null ? chainOf(currentText, NOT_IN_TRACES) : advanceByPerson(chain, currentText, CHANGED_AFTER_AI, options);
  applyClaims(final.lines, final.owners, state.claims);
  if (final !== chain) replays.keepAgain({ final: { text, owners: final.owners } });
  return result(final.lines, final.owners);
}
