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

function splitLines(text: string): { lines: string[]; eol: string; finalEol: boolean } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
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

/** Lines outside the block (the user's text): what a rewrite must keep exactly. */
function outside(lines: readonly string[], found: Found): string[] {
  if (found === null || "error" in found) return [...lines];
  return [...lines.slice(0, found.start), ...lines.slice(found.end + 1)];
}

/** The new text only when its block parses back to exactly `written`, holds only safe lines, and nothing else moved. */
function verified(before: readonly string[], text: string, syntax: CommentSyntax, written: StoredEntry[], found: Found): TextOutcome {
  const after = splitLines(text).lines;
  const again = findBlock(after, syntax);
  const fail: TextOutcome = { ok: false, reason: "the edit_history block would not read back as written" };
  if (again === null || "error" in again || !sameData(again.entries, written)) return fail;
  for (let i = again.start + 1; i < again.end; i++) if (!isSafeBlockLine(after[i] as string, syntax)) return fail;
  const kept = outside(before, found);
  const now = outside(after, again);
  // Appending adds one blank separator line before the block; nothing else of the user's text may differ.
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l, i) => l === b[i]);
  if (!same(kept, now) && !(found === null && same([...kept, ""], now))) return fail;
  return { ok: true, text };
}

/** The file with its edit_history block set to `entries` (comment blocks are replaced, not merged). */
export function applyCommentBlock(text: string, syntax: CommentSyntax, entries: readonly HistoryEntry[]): TextOutcome {
  const { lines, eol, finalEol } = splitLines(text);
  const written = blockEntries(syntax, entries);
  const block = blockLines(syntax, written);
  const found = findBlock(lines, syntax);
  if (found !== null && "error" in found) return { ok: false, reason: found.error };
  let next: string;
  if (found) {
    const rest = [...lines.slice(0, found.start), ...block, ...lines.slice(found.end + 1)];
    next = rest.join(eol) + (finalEol || found.end === lines.length - 1 ? eol : "");
  } else if (lines.length === 0) next = block.join(eol) + eol;
  else {
    const separator = lines[lines.length - 1]?.trim() === "" ? [] : [""];
    next = [...lines, ...separator, ...block].join(eol) + eol;
  }
  return verified(lines, next, syntax, written, found);
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
