// The `comment` writer: a delimited `edit_history` block in the file's comment syntax (hash `#`, slash `//`, html
// `<!-- -->`). An existing block is replaced where it stands, a new one is appended after one blank line; the
// replacement covers exactly the marker lines, so re-runs neither duplicate blocks nor accumulate blank lines.
// Markers count only as whole lines equal to what we write; every result is read back and must give exactly the
// entries written, only safe lines inside the block and the user's lines unchanged, or the file is not touched.

import { extname } from "node:path";
import type { CommentSyntax } from "./config";
import { parseDocument } from "yaml";
import { htmlCommentText, isSafeBlockLine } from "./escape";
import { sameData, toYaml, type HistoryEntry, type StoredEntry } from "./history";
import type { TextOutcome } from "./yaml-append";

const EXTENSION_SYNTAX: Record<string, CommentSyntax> = {
  ".py": "hash", ".sh": "hash", ".bash": "hash", ".zsh": "hash", ".toml": "hash", ".rb": "hash", ".pl": "hash",
  ".r": "hash", ".yaml": "hash", ".yml": "hash", ".cfg": "hash", ".ini": "hash", ".conf": "hash", ".mk": "hash",
  ".js": "slash", ".mjs": "slash", ".cjs": "slash", ".jsx": "slash", ".ts": "slash", ".mts": "slash",
  ".cts": "slash", ".tsx": "slash", ".rs": "slash", ".go": "slash", ".c": "slash", ".h": "slash", ".cc": "slash",
  ".cpp": "slash", ".hpp": "slash", ".java": "slash", ".kt": "slash", ".swift": "slash", ".cs": "slash",
  ".scala": "slash", ".dart": "slash", ".php": "slash", ".zig": "slash",
  ".md": "html", ".markdown": "html", ".html": "html", ".htm": "html", ".xml": "html", ".svg": "html", ".vue": "html",
};

/** The comment syntax a file's extension implies, or null when unknown. */
export function commentSyntaxFor(path: string): CommentSyntax | null {
  const base = path.split("/").pop() ?? path;
  if (base === "Makefile" || base === "Dockerfile") return "hash";
  return EXTENSION_SYNTAX[extname(base).toLowerCase()] ?? null;
}

function markers(syntax: CommentSyntax): { start: string; end: string; prefix: string | null } {
  if (syntax === "html") return { start: "<!-- edit_history", end: "-->", prefix: null };
  const p = syntax === "hash" ? "#" : "//";
  return { start: `${p} --- edit_history ---`, end: `${p} --- end edit_history ---`, prefix: p };
}

/** The entries as the block holds them: values already safe (escape.ts), for HTML also free of `<`, `>`, `--`. */
function blockEntries(syntax: CommentSyntax, entries: readonly HistoryEntry[]): StoredEntry[] {
  if (syntax !== "html") return entries as unknown as StoredEntry[];
  return entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, htmlCommentText(String(v))])));
}

function blockLines(syntax: CommentSyntax, entries: readonly StoredEntry[]): string[] {
  const yaml = toYaml(entries).replace(/\n$/, "").split("\n");
  const { start, end, prefix } = markers(syntax);
  if (prefix === null) return [start, ...yaml, end];
  return [start, ...yaml.map((l) => (l === "" ? prefix : `${prefix} ${l}`)), end];
}

type Found = { start: number; end: number; entries: StoredEntry[] } | null | { error: string };

/**
 * The existing block: the first line equal to the start marker, the next line equal to the end marker, and between
 * them (comment prefixes removed) a YAML list of mappings — only then is it ours to replace. Anything else that
 * looks like a marker is left alone, and a block that is not ours makes the file invalid rather than rewritten.
 */
function findBlock(lines: readonly string[], syntax: CommentSyntax): Found {
  const { start: startMarker, end: endMarker, prefix } = markers(syntax);
  const start = lines.indexOf(startMarker);
  if (start === -1) return null;
  const end = lines.indexOf(endMarker, start + 1);
  if (end === -1) return { error: `the edit_history comment block starting at line ${start + 1} has no end marker` };
  const notOurs = { error: `the edit_history comment block at lines ${start + 1}-${end + 1} was not written by annotate` };
  const inner: string[] = [];
  for (let i = start + 1; i < end; i++) {
    const line = lines[i] as string;
    if (prefix === null) inner.push(line);
    else if (line === prefix) inner.push("");
    else if (line.startsWith(`${prefix} `)) inner.push(line.slice(prefix.length + 1));
    else return notOurs;
  }
  const doc = parseDocument(inner.join("\n"), { prettyErrors: false });
  if (doc.errors.length > 0) return notOurs;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch {
    return notOurs; // We never write aliases.
  }
  if (data === null) return { start, end, entries: [] };
  if (!Array.isArray(data) || !data.every((e) => typeof e === "object" && e !== null && !Array.isArray(e))) return notOurs;
  return { start, end, entries: data as StoredEntry[] };
}

/**
 * The file's lines and its line ending: the first line's (the last character when there is none: a text ending in a
 * lone CR gets CRLF, so the LF we append never turns that CR into a different line ending on the next run).
 */
function splitLines(text: string): { lines: string[]; eol: string; finalEol: boolean } {
  const firstLf = text.indexOf("\n");
  const crlf = firstLf === -1 ? text.endsWith("\r") : firstLf > 0 && text[firstLf - 1] === "\r";
  const eol = crlf ? "\r\n" : "\n";
  const finalEol = text.endsWith("\n");
  const body = finalEol ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text;
  return { lines: body === "" ? [] : body.split(/\r?\n/), eol, finalEol };
}

/** The entries of the file's edit_history block: null when there is none, an error when it is not ours. */
export function readCommentBlock(text: string, syntax: CommentSyntax): StoredEntry[] | null | { error: string } {
  const found = findBlock(splitLines(text).lines, syntax);
  if (found === null || "error" in found) return found;
  return found.entries;
}

/** Offset where each line of `splitLines(text).lines` starts, plus one past the last line's terminator. */
function lineStarts(text: string, count: number): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1 && starts.length <= count; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  while (starts.length <= count) starts.push(text.length);
  return starts;
}

/** The user's bytes around the block: [before it, after it] (the whole text before it when there is none). */
function around(text: string, lines: readonly string[], found: Found): [string, string] {
  if (found === null || "error" in found) return [text, ""];
  const starts = lineStarts(text, lines.length);
  return [text.slice(0, starts[found.start]), text.slice(starts[found.end + 1])];
}

/**
 * The new text only when its block parses back to exactly `written` and holds only safe lines, and every byte of
 * the user's text around it is unchanged (appending may add a line end and one blank separator line, nothing else).
 */
function verified(text: string, next: string, syntax: CommentSyntax, written: StoredEntry[], found: Found): TextOutcome {
  const after = splitLines(next).lines;
  const again = findBlock(after, syntax);
  const fail: TextOutcome = { ok: false, reason: "the edit_history block would not read back as written" };
  if (again === null || "error" in again || !sameData(again.entries, written)) return fail;
  for (let i = again.start + 1; i < again.end; i++) if (!isSafeBlockLine(after[i] as string, syntax)) return fail;
  const [before, rest] = around(text, splitLines(text).lines, found);
  const [nowBefore, nowRest] = around(next, after, again);
  if (found !== null) return before === nowBefore && rest === nowRest ? { ok: true, text: next } : fail;
  const added = nowBefore.slice(before.length);
  const onlyLineEnds = nowBefore.startsWith(before) && /^(\r?\n){0,2}$/.test(added);
  return onlyLineEnds && nowRest === "" ? { ok: true, text: next } : fail;
}

/**
 * The file with its edit_history block set to `entries` (comment blocks are replaced, not merged). The user's bytes
 * are kept as they are, line endings included; the block uses the file's line ending (CRLF when it has any).
 */
export function applyCommentBlock(text: string, syntax: CommentSyntax, entries: readonly HistoryEntry[]): TextOutcome {
  const { lines, eol } = splitLines(text);
  const written = blockEntries(syntax, entries);
  const block = blockLines(syntax, written).join(eol);
  const found = findBlock(lines, syntax);
  if (found !== null && "error" in found) return { ok: false, reason: found.error };
  let next: string;
  if (found) {
    const starts = lineStarts(text, lines.length);
    const endLine = text.slice(starts[found.end], starts[found.end + 1]);
    const endEol = endLine.endsWith("\r\n") ? "\r\n" : endLine.endsWith("\n") ? "\n" : eol;
    const [before, rest] = around(text, lines, found);
    next = before + block + endEol + rest;
  } else if (text === "") next = block + eol;
  else {
    const base = text.endsWith("\n") ? text : text + eol;
    const separator = lines.length === 0 || lines[lines.length - 1]?.trim() === "" ? "" : eol;
    next = base + separator + block + eol;
  }
  return verified(text, next, syntax, written, found);
}

/** The text without its edit_history block (and the blank line written before a trailing block). */
export function stripCommentBlock(text: string, syntax: CommentSyntax): string {
  const { lines, eol, finalEol } = splitLines(text);
  const found = findBlock(lines, syntax);
  if (found === null || "error" in found) return text;
  const { start, end } = found;
  let from = start;
  const atEnd = end === lines.length - 1;
  if (atEnd && from > 0 && lines[from - 1]?.trim() === "") from--;
  const kept = [...lines.slice(0, from), ...lines.slice(end + 1)];
  if (kept.length === 0) return "";
  return kept.join(eol) + (finalEol ? eol : "");
}
