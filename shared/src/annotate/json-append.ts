// The JSON `append` writer: sets the root object's `edit_history` array by splicing text at the exact byte range of
// that member (or after the last member), in the file's own indentation, key separator and line endings, so every
// other byte and the key order stay as they were. Results are re-parsed and checked before they are returned.

import { mergeEntries, sameData, type HistoryEntry, type StoredEntry } from "./history";
import type { TextOutcome } from "./yaml-append";

const KEY = "edit_history";

interface Member {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

interface RootObject {
  open: number;
  close: number;
  members: Member[];
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

function skipString(text: string, i: number): number {
  // text[i] is the opening quote; returns the index after the closing quote.
  i++;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    while (i < text.length) {
      const d = text[i];
      if (d === '"') {
        i = skipString(text, i);
        continue;
      }
      if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < text.length && !/[\s,}\]]/.test(text[i] as string)) i++;
  return i;
}

/** Members of the root object with their text ranges; the text must already be valid JSON with an object root. */
function scanRoot(text: string): RootObject {
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const open = i;
  i = skipSpace(text, i + 1);
  const members: Member[] = [];
  while (i < text.length && text[i] !== "}") {
    const keyStart = i;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    const valueStart = i;
    const valueEnd = skipValue(text, i);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return { open, close: i, members };
}

function lineIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  const prefix = text.slice(lineStart, pos);
  return /^[ \t]*$/.test(prefix) ? prefix : "";
}

function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // The engine's message quotes the document, line breaks included: keep it to one line of bounded length.
    const message = (error as Error).message.replace(/\s+/g, " ");
    return { error: `invalid JSON: ${message.length > 200 ? `${message.slice(0, 199)}…` : message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: "the top level of the document is not an object" };
  }
  return { value: value as Record<string, unknown> };
}

/** Sets `edit_history` to the existing entries merged with `fresh`; returns the text unchanged when nothing new. */
export function applyJsonHistory(text: string, fresh: readonly HistoryEntry[]): TextOutcome {
  const parsed = parseObject(text);
  if ("error" in parsed) return { ok: false, reason: parsed.error };
  const current = parsed.value[KEY];
  let existing: StoredEntry[] = [];
  if (current !== undefined && current !== null) {
    if (!Array.isArray(current)) return { ok: false, reason: `\`${KEY}\` is not an array` };
    if (!current.every((i) => typeof i === "object" && i !== null && !Array.isArray(i))) {
      return { ok: false, reason: `\`${KEY}\` holds items that are not objects` };
    }
    existing = current as StoredEntry[];
  }
  const merged = mergeEntries(existing, fresh);
  if (current !== undefined && sameData(existing, merged)) return { ok: true, text };

  const root = scanRoot(text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const first = root.members[0];
  // The document's style: compact when the first member shares the line of `{` (or there is none and no newline).
  const compact = first ? !text.slice(root.open, first.keyStart).includes("\n") : !text.includes("\n");
  const unit = first ? lineIndent(text, first.keyStart) || "  " : "  ";
  const separator = first ? text.slice(skipString(text, first.keyStart), first.valueStart) : ": ";
  const value = compact
    ? JSON.stringify(merged)
    : (JSON.stringify(merged, null, unit) ?? "[]").split("\n").join(eol + unit);

  const existingMember = [...root.members].reverse().find((m) => m.key === KEY);
  let result: string;
  if (existingMember) {
    result = text.slice(0, existingMember.valueStart) + value + text.slice(existingMember.valueEnd);
  } else if (root.members.length === 0) {
    const inner = compact ? `"${KEY}"${separator.trim() || ":"}${value}` : `${eol}${unit}"${KEY}"${separator}${value}${eol}`;
    result = text.slice(0, root.open + 1) + inner + text.slice(root.close);
  } else {
    const last = root.members[root.members.length - 1] as Member;
    const member = compact ? `,"${KEY}"${separator}${value}` : `,${eol}${unit}"${KEY}"${separator}${value}`;
    result = text.slice(0, last.valueEnd) + member + text.slice(last.valueEnd);
  }
  const check = parseObject(result);
  if ("error" in check || !sameData(check.value[KEY], merged)) {
    return { ok: false, reason: `could not insert \`${KEY}\` into the document` };
  }
  return { ok: true, text: result };
}

/** The text without its root `edit_history` member (what the file looked like before annotation). */
export function stripJsonHistory(text: string): string {
  const parsed = parseObject(text);
  if ("error" in parsed || !(KEY in parsed.value)) return text;
  const root = scanRoot(text);
  const index = root.members.map((m) => m.key).lastIndexOf(KEY);
  const member = root.members[index];
  if (!member) return text;
  if (index > 0) {
    const previous = root.members[index - 1] as Member;
    return text.slice(0, previous.valueEnd) + text.slice(member.valueEnd);
  }
  const next = root.members[index + 1];
  if (next) return text.slice(0, member.keyStart) + text.slice(next.keyStart);
  return text.slice(0, root.open + 1) + text.slice(root.close);
}
