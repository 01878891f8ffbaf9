// Delta encoding of whole-file contents against a recently stored version: successive versions of an edited file
// share almost everything, so a version is kept as (base key, common prefix and suffix lengths, middle text). The
// invariant: decoding a delta with its base yields exactly the original text; chains are bounded by MAX_DEPTH.

import { commonPrefixLength, commonSuffixLength } from "../util/common-affix";

/** Longest chain of deltas before a version is stored whole (bounds the work of one `get`). */
export const MAX_DEPTH = 16;
/** A delta is used only when the shared prefix + suffix cover at least this share of the new text. */
const MIN_SHARED = 0.5;
/** Texts shorter than this are stored whole: a delta would save little. */
const MIN_DELTA_TEXT = 4096;

export interface Delta {
  base: string;
  prefix: number;
  suffix: number;
  middle: string;
  depth: number;
}

export interface DeltaBase {
  key: string;
  text: string;
  depth: number;
}

/** The best delta of `text` against one of `bases` (most recent first), or null when storing it whole is better. */
export function findDelta(text: string, bases: readonly DeltaBase[]): Delta | null {
  if (text.length < MIN_DELTA_TEXT) return null;
  let best: Delta | null = null;
  let bestShared = MIN_SHARED * text.length;
  for (const base of bases) {
    if (base.depth + 1 > MAX_DEPTH || base.text.length < bestShared) continue;
    const prefix = commonPrefixLength(text, base.text);
    const suffix = commonSuffixLength(text, base.text, Math.min(text.length, base.text.length) - prefix);
    if (prefix + suffix >= bestShared) {
      bestShared = prefix + suffix;
      best = { base: base.key, prefix, suffix, middle: text.slice(prefix, text.length - suffix), depth: base.depth + 1 };
    }
  }
  return best;
}

/** Rebuilds the text of a delta from its base's text. */
export function applyDelta(base: string, delta: Pick<Delta, "prefix" | "suffix" | "middle">): string {
  return base.slice(0, delta.prefix) + delta.middle + base.slice(base.length - delta.suffix);
}

/**
 * Blob payloads: "W length\n" + text, or "D length base prefix suffix depth\n" + middle. The length of the full
 * text (UTF-16 units) is checked on decode: brotli has no checksum, and a bad base would otherwise go unnoticed.
 */

export function encodePayload(text: string, delta: Delta | null): string {
  return delta === null
    ? `W ${text.length}\n${text}`
    : `D ${text.length} ${delta.base} ${delta.prefix} ${delta.suffix} ${delta.depth}\n${delta.middle}`;
}

export type Payload = { kind: "whole"; length: number; text: string } | ({ kind: "delta"; length: number } & Delta) | { kind: "bad" };

export function decodePayload(payload: string): Payload {
  const newline = payload.indexOf("\n");
  if (newline === -1) return { kind: "bad" };
  const head = payload.slice(0, newline);
  const body = payload.slice(newline + 1);
  const whole = /^W (\d+)$/.exec(head);
  if (whole !== null) return { kind: "whole", length: Number(whole[1]), text: body };
  const m = /^D (\d+) ([0-9a-f]{40}) (\d+) (\d+) (\d+)$/.exec(head);
  if (m === null) return { kind: "bad" };
  return { kind: "delta", length: Number(m[1]), base: m[2] ?? "", prefix: Number(m[3]), suffix: Number(m[4]), depth: Number(m[5]), middle: body };
}
