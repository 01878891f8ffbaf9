// Text as the attribution chain sees it: line endings normalized to LF, lines without terminators, and a missing
// final newline adding no line, so CRLF/LF differences and "no newline at end of file" never shift line numbers.
// Also the fast common-prefix/suffix search that keeps each replay step proportional to what changed.

/** CRLF and lone CR become LF (editors, LSP included, treat all three as line breaks). */
export function normalizeEol(text: string): string {
  return text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
}

/** Lines of LF-normalized text; the empty text has none and a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Start offset of every line of LF-normalized text (same line count as splitLines). */
export function lineStarts(text: string): Int32Array {
  const starts: number[] = [];
  let at = 0;
  while (at < text.length) {
    starts.push(at);
    const nl = text.indexOf("\n", at);
    if (nl === -1) break;
    at = nl + 1;
  }
  return Int32Array.from(starts);
}

/** True when the text looks binary: a NUL character in its first 8 KB. */
export function isBinaryText(text: string): boolean {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  return head.indexOf("\0") !== -1;
}

