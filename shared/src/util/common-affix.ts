// The one helper for the common start and end of two strings (attribution steps, fingerprints, content deltas,
// session-id prefixes). Both compare growing blocks natively (substring equality) before the last characters one
// by one, so long identical stretches cost a few native comparisons instead of a JS loop per character.

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
