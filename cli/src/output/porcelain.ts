// `blame --porcelain`: a stable line-oriented format for scripts and editors, in the manner of git blame's. Each
// line gets a header `<id> <line>`; an owner's `key value` lines follow only the first time that owner appears; the
// file's text follows after a TAB. The format is documented in README.md ("blame --porcelain") and must not change.

import { createHash } from "node:crypto";
import type { BlameJson, BlameLineJson, LineOwnerJson } from "@ai-blame/shared";
import { type LineSelection, selectedLines } from "./blame-text";

/** The id printed for lines no trace explains. */
export const UNATTRIBUTED_ID = "0".repeat(40);

/** Keeps a value on one line: backslash, newline, carriage return and tab are escaped as \\ \n \r \t. */
export function escapeValue(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"));
}

/**
 * The id of a line's owner as printed in headers: 40 hex digits, the SHA-1 of the edit's event id (event ids hold
 * file paths, which may contain spaces), so headers have a fixed shape like git's; `event-id` gives the id itself.
 */
export function porcelainId(owner: LineOwnerJson | null): string {
  if (!owner) return UNATTRIBUTED_ID;
  return createHash("sha1").update(owner.eventId).digest("hex");
}

function ownerKeys(owner: LineOwnerJson): Array<[string, string | null]> {
  return [
    ["event-id", owner.eventId],
    ["model", owner.model],
    ["agent", owner.agent],
    ["agent-version", owner.agentVersion],
    ["session", owner.sessionId],
    ["timestamp", owner.timestamp],
    ["action", owner.action],
    ["tool-call", owner.toolCallId],
    ["prompt", owner.promptText],
  ];
}

/** Per owner object: its header id and its `key value` lines (a file has a few hundred owners, thousands of lines). */
class OwnerRecords {
  private readonly ids = new Map<LineOwnerJson, string>();
  private readonly keyLines = new Map<LineOwnerJson, string>();

  id(owner: LineOwnerJson): string {
    let id = this.ids.get(owner);
    if (id === undefined) {
      id = porcelainId(owner);
      this.ids.set(owner, id);
    }
    return id;
  }

  /** The owner's `key value` lines, each followed by a newline. */
  keys(owner: LineOwnerJson): string {
    let text = this.keyLines.get(owner);
    if (text === undefined) {
      text = "";
      for (const [key, value] of ownerKeys(owner)) {
        if (value !== null && value !== "") text += `${key} ${escapeValue(value)}\n`;
      }
      this.keyLines.set(owner, text);
    }
    return text;
  }
}

/** A flagged line's own keys (`reformatted`, `moved`), always printed like `reason`. */
function flagKeys(line: BlameLineJson): string {
  return (line.reformatted ? "reformatted\n" : "") + (line.moved ? "moved\n" : "");
}

function lineRecord(line: BlameLineJson, seen: Set<string>, owners: OwnerRecords): string {
  if (!line.owner) return `${UNATTRIBUTED_ID} ${line.line}\nreason ${line.reason ?? "not-in-traces"}\n\t${line.text}`;
  const id = owners.id(line.owner);
  if (seen.has(id)) return `${id} ${line.line}\n${flagKeys(line)}\t${line.text}`;
  seen.add(id);
  return `${id} ${line.line}\n${owners.keys(line.owner)}${flagKeys(line)}\t${line.text}`;
}

/** Records `formatPorcelain` hands to its `emit` at a time. */
const CHUNK_RECORDS = 1024;

/**
 * The porcelain records of the selected lines. With `emit`, records are handed to it as they are made, a chunk at a
 * time, and only the last ones returned (all of them held to the end survived the young generation's collections).
 */
export function formatPorcelain(blame: BlameJson, range: LineSelection, emit?: (text: string) => void): string {
  const seen = new Set<string>();
  const owners = new OwnerRecords();
  let out: string[] = [];
  const shown = selectedLines(range, blame.lines.length);
  for (let k = 0; k < shown.length; k++) {
    const line = blame.lines[(shown[k] as number) - 1];
    if (line) out.push(lineRecord(line, seen, owners));
    if (emit !== undefined && out.length >= CHUNK_RECORDS) {
      emit(`${out.join("\n")}\n`);
      out = [];
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
