// The one sanitiser for text that reaches a terminal: every string from an untrusted trace (prompts, messages, file
// names, model ids) goes through `escapeControlChars` before a human renderer prints it, so an ESC sequence, OSC,
// BEL, backspace or carriage return in a trace can never restyle, retitle or rewrite the user's terminal. Newline
// and tab stay; every other C0/C1 control becomes a visible character (in table cells, `escapeCell`, they become
// visible too). JSON keeps exact values: `jsonForTerminal` only writes as `\u` escapes the controls JSON.stringify
// leaves raw (DEL and C1).

/** C0 controls except TAB (09) and LF (0a), DEL, and the C1 controls (80–9f; U+009B is a one-byte CSI). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  // Unicode's Control Pictures: U+2400 + code for C0 (ESC → ␛, BEL → ␇, CR → ␍), ␡ for DEL; one column each, so
  // widths computed after escaping are right.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  // C1 controls have no picture: their code in hex.
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/**
 * Pretty JSON (two-space indent) whose text holds no raw control character: JSON.stringify already escapes C0, and
 * DEL and C1 can only occur inside strings, where `\u00XX` is the same value. Parsing gives back the exact data.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\x7f-\x9f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/**
 * `text` with control characters made visible, `\n` and `\t` kept; a CRLF line ending becomes `\n` (a Windows line
 * end is not an attack). Returns `text` itself when there is nothing to escape.
 */
export function escapeControlChars(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(/\r\n/g, "\n").replace(CONTROL, visible);
}

/** Line and paragraph separators besides LF (VT, FF and NEL are controls already) and TAB, for one-row cells. */
const ROW_BREAKS = /[\t\n\u2028\u2029]/g;

/**
 * `text` for one cell of a one-row-per-item table (timeline, blame, transcript list, stats, annotate results):
 * `escapeControlChars`, and also newline, tab and the Unicode line/paragraph separators made visible (␊ ␉
 * <U+2028>), so a file name or model id can never split its row or shift the columns after it.
 */
export function escapeCell(text: string): string {
  const escaped = escapeControlChars(text);
  ROW_BREAKS.lastIndex = 0;
  if (!ROW_BREAKS.test(escaped)) return escaped;
  return escaped.replace(ROW_BREAKS, (c) => (c === "\t" || c === "\n" ? visible(c) : `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`));
}
