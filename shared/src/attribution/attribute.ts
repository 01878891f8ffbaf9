// Per-line attribution of one file (SPEC §5): replays the file's events in time order, carrying an owner per line
// through a real line diff between consecutive contents, then diffs the last replayed content against the current
// text. Every line of the current text gets exactly one answer: the event that last wrote it, or null with a reason.

import type { BlameBlockJson, BlameJson, BlameLineJson, LineOwnerJson, UnattributedReason } from "../contract";
import { compareEvents, type EditChange, type EditEvent } from "../events/edit-event";
import type { ContentStore } from "../index/content-store";
import {
  advance,
  type Chain,
  CHANGED_AFTER_AI,
  CHANGED_OUTSIDE_TRACES,
  chainOf,
  emptyChain,
  NOT_IN_TRACES,
  replaceLines,
  replayMatches,
  textOf,
} from "./chain";
import { applyStringEdits, hunkReplacements } from "./claude-edits";
import { chunkReplacements } from "./codex-chunks";
import { applyClaims, type Claim, claimsFor } from "./fallback";

export { isBinaryText } from "./text";

/** `blame --json` without `file`: what attribution computes for one file. */
export type AttributionResult = Omit<BlameJson, "file">;

/** The owner as the JSON contract shows it. */
export function toLineOwner(event: EditEvent): LineOwnerJson {
  return {
    timestamp: event.timestamp,
    model: event.model,
    agent: event.agent,
    agentVersion: event.agentVersion,
    sessionId: event.sessionId,
    action: event.action,
    toolCallId: event.toolCallId,
    promptId: event.promptId,
    promptText: event.promptText,
    eventId: event.id,
    traceFile: event.traceFile,
  };
}

/**
 * Attributes each line of `currentText` to the event (of `events`, all for this one file, any order) that last wrote
 * it. Contents referenced by the events are read from `contents`.
 */
export function attributeFile(events: readonly EditEvent[], contents: ContentStore, currentText: string): AttributionResult {
  // The same tool call can reach us twice (forked or resumed sessions): replay it once.
  const seen = new Set<string>();
  const sorted: EditEvent[] = [];
  for (const event of [...events].sort(compareEvents)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    sorted.push(event);
  }

  // `chain` is null while no content of the current history is known (before any event, after a deletion).
  let chain: Chain | null = null;
  let chainKey: string | null = null;
  let created: string | null = null;
  let claims: Claim[] = [];
  let fallbacks = 0;

  sorted.forEach((event, index) => {
    const change = event.change;
    if (event.action === "DELETED" || (change.movedTo !== undefined && change.movedTo !== event.file)) {
      // A new history starts: nothing from before the deletion (or move away) is carried.
      chain = null;
      chainKey = null;
      created = null;
      claims = [];
      return;
    }
    if (event.action === "CREATED" && created === null) created = event.timestamp;

    // What the agent saw before its edit: differences from the chain happened outside the traces.
    if (change.before !== undefined && change.before !== chainKey) {
      const before = contents.get(change.before);
      if (before !== undefined) {
        chain = chain === null ? chainOf(before, NOT_IN_TRACES) : advance(chain, before, CHANGED_OUTSIDE_TRACES);
        chainKey = change.before;
      }
    }

    const next = replay(change, chain, index, contents);
    if (next === null) {
      fallbacks++;
      claims.push(...claimsFor(change, index));
      return;
    }
    chain = next.chain;
    chainKey = next.key;
  });

  const final = chain === null ? chainOf(currentText, NOT_IN_TRACES) : advance(chain, currentText, CHANGED_AFTER_AI);
  const owners = final.owners;
  applyClaims(final.lines, owners, claims);
  return {
    ...present(final.lines, owners, sorted),
    created,
    events: sorted.length,
    fallbacks,
  };
}

/**
 * The chain after one event (owner code `owner`) and the store key of its content when that is a recorded one;
 * null when the event cannot be replayed. Claude's structuredPatch is replayed on the lines (cheap: only the hunks
 * are touched) and the recorded content is adopted when it agrees; otherwise the recorded content is diffed whole.
 * Without a recorded content, Claude's string edits and Codex chunks are replayed on the chain.
 */
function replay(
  change: EditChange,
  chain: Chain | null,
  owner: number,
  contents: ContentStore,
): { chain: Chain; key: string | null } | null {
  const recorded = change.after === undefined ? undefined : contents.get(change.after);
  if (chain !== null && change.hunks !== undefined && change.hunks.length > 0) {
    const replacements = hunkReplacements(chain.lines, change.hunks);
    if (replacements !== null && recorded === undefined) {
      return { chain: replaceLines(chain, replacements, owner, chain.finalNewline), key: null };
    }
    if (replacements !== null && recorded !== undefined && replayMatches(chain, replacements, chain.finalNewline, recorded)) {
      const next = replaceLines(chain, replacements, owner, chain.finalNewline);
      // The recorded content is what the pieces spell: keep it as the one flat piece.
      if (recorded !== "") next.pieces = [recorded];
      return { chain: next, key: change.after as string };
    }
  }
  if (recorded !== undefined) return { chain: advance(chain ?? emptyChain(), recorded, owner), key: change.after as string };
  if (change.edits !== undefined && change.edits.length > 0) {
    const base = chain !== null ? textOf(chain) : change.edits[0]?.oldString === "" ? "" : null;
    const r = base === null ? null : applyStringEdits(base, change.edits, change.hunks);
    if (r !== null) return { chain: advance(chain ?? emptyChain(), r.text, owner, r), key: null };
  }
  if (chain !== null && change.chunks !== undefined && change.chunks.length > 0) {
    const replacements = chunkReplacements(chain.lines, change.chunks);
    if (replacements !== null) return { chain: replaceLines(chain, replacements, owner, true), key: null };
  }
  return null;
}

const reasons: Record<number, UnattributedReason> = {
  [NOT_IN_TRACES]: "not-in-traces",
  [CHANGED_AFTER_AI]: "changed-after-ai",
  [CHANGED_OUTSIDE_TRACES]: "changed-outside-traces",
};

/** Lines and blocks in the JSON contract's shape; blocks are maximal runs of one owner code. */
function present(
  lines: readonly string[],
  owners: readonly number[],
  events: readonly EditEvent[],
): { lines: BlameLineJson[]; blocks: BlameBlockJson[] } {
  const ownerJson = new Map<number, LineOwnerJson>();
  const ownerOf = (code: number): LineOwnerJson | null => {
    if (code < 0) return null;
    let json = ownerJson.get(code);
    if (json === undefined) {
      json = toLineOwner(events[code] as EditEvent);
      ownerJson.set(code, json);
    }
    return json;
  };
  const out: BlameLineJson[] = [];
  const blocks: BlameBlockJson[] = [];
  let blockCode = 0;
  for (let i = 0; i < lines.length; i++) {
    const code = owners[i] as number;
    const owner = ownerOf(code);
    const reason = code < 0 ? (reasons[code] as UnattributedReason) : null;
    out.push({ line: i + 1, text: lines[i] as string, owner, reason });
    const open = blocks[blocks.length - 1];
    if (open !== undefined && blockCode === code) open.end = i + 1;
    else {
      blocks.push({ start: i + 1, end: i + 1, owner, reason });
      blockCode = code;
    }
  }
  return { lines: out, blocks };
}
