// A file's attribution in the JSON contract's shape (SPEC §6): each line with its owner or the reason it has none,
// and the blocks of lines with one owner. Owners come from the events replayed, or from a kept replay's copies of
// them (kept-replays.ts), so both give the same objects.

import type { BlameBlockJson, BlameLineJson, LineOwnerJson, UnattributedReason } from "../contract";
import type { EditEvent } from "../events/edit-event";
import { CHANGED_AFTER_AI, CHANGED_OUTSIDE_TRACES, NOT_IN_TRACES } from "./chain";
import { EVENT_INDEX, MOVED, REFORMATTED } from "./person-edits";

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

const reasons: Record<number, UnattributedReason> = {
  [NOT_IN_TRACES]: "not-in-traces",
  [CHANGED_AFTER_AI]: "changed-after-ai",
  [CHANGED_OUTSIDE_TRACES]: "changed-outside-traces",
};

/** The flags of an owner code as the JSON contract shows them (absent when false). */
function flagsOf(code: number): { reformatted?: true; moved?: true } {
  const flags: { reformatted?: true; moved?: true } = {};
  if ((code & REFORMATTED) !== 0) flags.reformatted = true;
  if ((code & MOVED) !== 0) flags.moved = true;
  return flags;
}

/**
 * Lines and blocks in the JSON contract's shape; blocks are maximal runs of one owner code (flags included).
 * `ownerAt` gives the owner of an event index: called once per index, so renderers that key on it see one owner
 * object per event, flagged or not.
 */
export function present(
  lines: readonly string[],
  owners: readonly number[],
  ownerAt: (index: number) => LineOwnerJson,
): { lines: BlameLineJson[]; blocks: BlameBlockJson[] } {
  const ownerJson = new Map<number, LineOwnerJson>();
  const ownerOf = (code: number): LineOwnerJson | null => {
    if (code < 0) return null;
    const index = code & EVENT_INDEX;
    let json = ownerJson.get(index);
    if (json === undefined) {
      json = ownerAt(index);
      ownerJson.set(index, json);
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
    const text = lines[i] as string;
    // Flagged codes are rare: the common line is built without a spread.
    out.push(code < REFORMATTED ? { line: i + 1, text, owner, reason } : { line: i + 1, text, owner, reason, ...flagsOf(code) });
    const open = blocks[blocks.length - 1];
    if (open !== undefined && blockCode === code) open.end = i + 1;
    else {
      blocks.push({ start: i + 1, end: i + 1, owner, reason, ...flagsOf(code) });
      blockCode = code;
    }
  }
  return { lines: out, blocks };
}
