// The `comment` writer: a delimited `edit_history` block in the file's comment syntax (hash `#`, slash `//`, html
// `<!-- -->`). An existing block is replaced where it stands, a new one is appended after one blank line; the
// replacement covers exactly the marker lines, so re-runs neither duplicate blocks nor accumulate blank lines.

import { extname } from "node:path";
import type { CommentSyntax } from "./config";
import { toYaml, type HistoryEntry } from "./history";
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

function blockLines(syntax: CommentSyntax, entries: readonly HistoryEntry[]): string[] {
  const yaml = toYaml(entries).replace(/\n$/, "").split("\n");
  if (syntax === "html") return ["<!-- edit_history", ...yaml, "-->"];
  const p = syntax === "hash" ? "#" : "//";
  return [`${p} --- edit_history ---`, ...yaml.map((l) => (l === "" ? p : `${p} ${l}`)), `${p} --- end edit_history ---`];
}

/** Line index range [start, end] (inclusive) of the existing block, null when none, or an error when unterminated. */
function findBlock(lines: string[], syntax: CommentSyntax): [number, number] | null | { error: string } {
  const isStart = (l: string) =>
    syntax === "html" ? l.trim().startsWith("<!-- edit_history") : l.includes("--- edit_history ---");
  const isEnd = (l: string) => (syntax === "html" ? l.trim() === "-->" : l.includes("--- end edit_history ---"));
  const start = lines.findIndex(isStart);
  if (start === -1) return null;
  for (let i = start + 1; i < lines.length; i++) if (isEnd(lines[i] as string)) return [start, i];
  return { error: `the edit_history comment block starting at line ${start + 1} has no end marker` };
}

function splitLines(text: string): { lines: string[]; eol: string; finalEol: boolean } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const finalEol = text.endsWith("\n");
  const body = finalEol ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text;
  return { lines: body === "" ? [] : body.split(/\r?\n/), eol, finalEol };
}

/** The file with its edit_history block set to `entries` (comment blocks are replaced, not merged). */
export function applyCommentBlock(text: string, syntax: CommentSyntax, entries: readonly HistoryEntry[]): TextOutcome {
  const { lines, eol, finalEol } = splitLines(text);
  const block = blockLines(syntax, entries);
  const found = findBlock(lines, syntax);
  if (found !== null && "error" in found) return { ok: false, reason: found.error };
  if (found) {
    const [start, end] = found;
    const next = [...lines.slice(0, start), ...block, ...lines.slice(end + 1)];
    const atEnd = end === lines.length - 1;
    return { ok: true, text: next.join(eol) + (finalEol || atEnd ? eol : "") };
  }
  if (lines.length === 0) return { ok: true, text: block.join(eol) + eol };
  const separator = lines[lines.length - 1]?.trim() === "" ? [] : [""];
  return { ok: true, text: [...lines, ...separator, ...block].join(eol) + eol };
}

/** The text without its edit_history block (and the blank line written before a trailing block). */
export function stripCommentBlock(text: string, syntax: CommentSyntax): string {
  const { lines, eol, finalEol } = splitLines(text);
  const found = findBlock(lines, syntax);
  if (found === null || "error" in found) return text;
  const [start, end] = found;
  let from = start;
  const atEnd = end === lines.length - 1;
  if (atEnd && from > 0 && lines[from - 1]?.trim() === "") from--;
  const kept = [...lines.slice(0, from), ...lines.slice(end + 1)];
  if (kept.length === 0) return "";
  return kept.join(eol) + (finalEol ? eol : "");
}
