// Text as the attribution chain sees it: line endings normalised to LF, lines without terminators, and a missing
// final newline adding no line, so CRLF/LF differences and "no newline at end of file" never shift line numbers.
// Also the fast common-prefix/suffix search that keeps each replay step proportional to what changed.

/** CRLF and lone CR become LF (editors, LSP included, treat all three as line breaks). */
export function normaliseEol(text: string): string {
  return text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
}

/** Lines of LF-normalised text; the empty text has none and a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Start offset of every line of LF-normalised text (same line count as splitLines). */
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

/**
 * Length of the common prefix of a and b. Compares growing blocks natively (substring equality) before the last
 * characters one by one, so long identical heads cost a few native comparisons instead of a JS loop per character.
 */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  let step = 512;
  let grow = true;
  while (i < n) {
    const len = Math.min(step, n - i);
    if (a.substring(i, i + len) === b.substring(i, i + len)) {
      i += len;
      if (grow) step *= 2;
    } else {
      grow = false;
      if (len <= 16) break;
      step = len >> 1;
    }
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix of a and b, at most `limit` characters (so it never overlaps a common prefix). */
export function commonSuffixLength(a: string, b: string, limit: number): number {
  const n = Math.min(limit, a.length, b.length);
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let step = 512;
  let grow = true;
  while (i < n) {
    const len = Math.min(step, n - i);
    if (a.substring(la - i - len, la - i) === b.substring(lb - i - len, lb - i)) {
      i += len;
      if (grow) step *= 2;
    } else {
      grow = false;
      if (len <= 16) break;
      step = len >> 1;
    }
  }
  while (i < n && a.charCodeAt(la - 1 - i) === b.charCodeAt(lb - 1 - i)) i++;
  return i;
}

/** Index of the first element of the sorted array that is >= value (the array length when none is). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
