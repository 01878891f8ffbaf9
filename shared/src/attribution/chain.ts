// The replay chain: a known content with one owner code per line, advanced to the next content by diffing only the
// region between the common prefix and suffix (widened to whole lines). Lines the diff keeps keep their owner;
// inserted or changed lines get the step's owner code. A step never mutates the chain it was given.

import { matchLines } from "./line-diff";
import { commonPrefixLength, commonSuffixLength, lineStarts, lowerBound, splitLines } from "./text";

/** Owner codes: an index into the replayed events (>= 0), or one of these reasons for an unattributed line. */
export const NOT_IN_TRACES = -1;
export const CHANGED_AFTER_AI = -2;
export const CHANGED_OUTSIDE_TRACES = -3;

export interface Chain {
  /** LF-normalised content. */
  readonly text: string;
  /** Start offset of each line of `text`. */
  readonly starts: readonly number[];
  /** Owner code of each line of `text`. */
  readonly owners: readonly number[];
}

export const emptyChain: Chain = { text: "", starts: [], owners: [] };

/** A chain holding `text` whose every line has the owner code `owner`. */
export function chainOf(text: string, owner: number): Chain {
  const starts = lineStarts(text);
  return { text, starts, owners: new Array<number>(starts.length).fill(owner) };
}

/** The chain advanced to `next` (LF-normalised): kept lines keep their owners, the others get `fill`. */
export function advance(chain: Chain, next: string, fill: number): Chain {
  const a = chain.text;
  const b = next;
  if (a === b) return chain;
  if (a === "") return chainOf(b, fill);
  const la = a.length;
  const lb = b.length;
  const prefix = commonPrefixLength(a, b);
  const suffix = commonSuffixLength(a, b, Math.min(la, lb) - prefix);

  // Widen the changed region to whole lines. The start is a line start in both texts because they share the
  // prefix; the end is moved to the next line boundary inside the shared suffix, which is at the same distance
  // from the end of both texts.
  const start = prefix === 0 ? 0 : a.lastIndexOf("\n", prefix - 1) + 1;
  let endA = la - suffix;
  let endB = lb - suffix;
  if (!(atLineStart(a, endA) && atLineStart(b, endB))) {
    const nl = a.indexOf("\n", endA);
    if (nl === -1) {
      endA = la;
      endB = lb;
    } else {
      endA = nl + 1;
      endB = nl + 1 + (lb - la);
    }
  }

  const lo = lowerBound(chain.starts, start);
  const oldMid = splitLines(a.slice(start, endA));
  const newMid = splitLines(b.slice(start, endB));
  const hi = lo + oldMid.length;
  const match = matchLines(oldMid, newMid);

  const midOwners = new Array<number>(newMid.length);
  const midStarts = new Array<number>(newMid.length);
  let at = start;
  for (let j = 0; j < newMid.length; j++) {
    const kept = match[j] as number;
    midOwners[j] = kept >= 0 ? (chain.owners[lo + kept] as number) : fill;
    midStarts[j] = at;
    at += (newMid[j] as string).length + 1;
  }
  const shift = lb - la;
  const tailStarts = chain.starts.slice(hi);
  if (shift !== 0) for (let i = 0; i < tailStarts.length; i++) tailStarts[i] = (tailStarts[i] as number) + shift;
  return {
    text: b,
    starts: chain.starts.slice(0, lo).concat(midStarts, tailStarts),
    owners: chain.owners.slice(0, lo).concat(midOwners, chain.owners.slice(hi)),
  };
}

function atLineStart(text: string, at: number): boolean {
  return at === 0 || text.charCodeAt(at - 1) === 10;
}
