// What annotate may write of trace text: every history value (model, version, session id, an unparsable timestamp)
// is restricted to a safe character set before any writer sees it, so no value can end a comment, start a line, or
// hide code. Letters, marks, digits, punctuation, symbols and the plain space stay; everything else — every line or
// paragraph separator of any language, controls, format characters (bidi overrides, zero-width), other spaces,
// private-use, unassigned and lone surrogates — and the backslash are written as `\u{XXXX}`. HTML comment blocks
// additionally never hold `<`, `>` or `--`.

import type { CommentSyntax } from "./config";

/**
 * Every character some language, YAML 1.1 or a Unicode-aware editor treats as ending a line: LF, CR, VT, FF, the
 * information separators Python's splitlines uses, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (JavaScript ends a
 * `//` comment at the last two). None of them ever reaches a file through annotate.
 */
export const LINE_TERMINATORS: readonly string[] = ["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\u0085", "\u2028", "\u2029"];

/** The comment syntaxes annotate writes (each has a test against every line terminator above). */
export const COMMENT_SYNTAXES: readonly CommentSyntax[] = ["hash", "slash", "html"];

/**
 * The two patterns of the safe set, made on first use: V8 builds their Unicode property classes when a pattern is
 * created, ~0.8 ms that every command paid at load while only annotate uses them.
 */
let patterns: { unsafe: RegExp; safeLine: RegExp } | null = null;

function safeSetPatterns(): { unsafe: RegExp; safeLine: RegExp } {
  patterns ??= {
    // A character outside the safe set (the `u` flag makes a lone surrogate one unsafe code point).
    unsafe: /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]|\\/gu,
    // A whole line of only safe characters: what every line of a written history block must be.
    safeLine: /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u,
  };
  return patterns;
}

function codePoint(c: string): string {
  return `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}}`;
}

/** `text` with every character outside the safe set written as `\u{XXXX}`; unchanged when already safe. */
export function safeHistoryText(text: string): string {
  const unsafe = safeSetPatterns().unsafe;
  unsafe.lastIndex = 0;
  return unsafe.test(text) ? text.replace(unsafe, codePoint) : text;
}

/** A safe value further escaped for an HTML comment: no `<`, `>` and no `--` (the second dash of a pair). */
export function htmlCommentText(text: string): string {
  let out = "";
  let previous = "";
  for (const c of text) {
    const escaped = c === "<" || c === ">" || (c === "-" && previous === "-") ? codePoint(c) : c;
    out += escaped;
    previous = escaped === c ? c : "";
  }
  return out;
}

/** Whether one written line of a history block (marker, prefix and YAML included) holds only safe characters. */
export function isSafeBlockLine(line: string, syntax: CommentSyntax): boolean {
  if (!safeSetPatterns().safeLine.test(line)) return false;
  return syntax !== "html" || (!line.includes("--") && !line.includes(">") && !line.includes("<"));
}
