// Fallback for events the chain cannot replay (no content to apply them to, old text not found): the text the event
// wrote is located in the current content as runs of whole lines, and the lines it added (not its context) are
// given to the event. A claim only takes lines that are still unattributed, so replayed owners always win.

import type { EditChange } from "../events/edit-event";
import { hunkSides } from "./claude-edits";
import { matchLines } from "./line-diff";
import { normalizeEol, splitLines } from "./text";

export interface Claim {
  /** Owner code (event index) the located lines get. */
  owner: number;
  /** Lines to locate, consecutive and whole. */
  run: string[];
  /** Which lines of the run the event wrote (the others are context it kept). */
  added: boolean[];
  /** 0-based line where the run is expected in the current content, when the event recorded one. */
  hint: number | null;
  /** The run comes from a string edit: its first line may end a longer line and its last may start one. */
  partial: boolean;
}

/**
 * What an unreplayable event wrote, as runs to locate: hunks first (whole lines, line numbers), then string edits,
 * then Codex chunks. (An event with a recorded content is always replayable.)
 */
export function claimsFor(change: EditChange, owner: number): Claim[] {
  const claims: Claim[] = [];
  if (change.hunks !== undefined && change.hunks.length > 0) {
    for (const hunk of change.hunks) {
      const { newSide, added } = hunkSides(hunk);
      claims.push({ owner, run: newSide, added, hint: Math.max(0, hunk.newStart - 1), partial: false });
    }
  } else if (change.edits !== undefined && change.edits.length > 0) {
    for (const edit of change.edits) {
      const oldLines = splitLines(normalizeEol(edit.oldString));
      claims.push({ ...diffClaim(owner, oldLines, splitLines(normalizeEol(edit.newString))), partial: true });
    }
  } else if (change.chunks !== undefined && change.chunks.length > 0) {
    for (const chunk of change.chunks) claims.push(diffClaim(owner, chunk.oldLines.map(stripCr), chunk.newLines.map(stripCr)));
  }
  return claims.filter((c) => c.run.some((line, i) => c.added[i] === true && line.trim() !== ""));
}

/**
 * Gives located runs to their events, in the order given (time order). Among several occurrences the one nearest the
 * hint wins (the first without a hint); a run not found whole is retried as its separate runs of added lines.
 */
export function applyClaims(lines: readonly string[], owners: number[], claims: readonly Claim[]): void {
  if (claims.length === 0) return;
  const byText = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const at = byText.get(line);
    if (at === undefined) byText.set(line, [i]);
    else at.push(i);
  });
  for (const claim of claims) {
    if (place(claim, false, lines, owners, byText)) continue;
    if (claim.partial && place(claim, true, lines, owners, byText)) continue;
    for (const part of addedParts(claim)) place(part, false, lines, owners, byText);
  }
}

/** Candidate start lines of a run: where its first line occurs, or (partial ends) where its second one does. */
function candidates(run: readonly string[], partial: boolean, lines: readonly string[], byText: Map<string, number[]>): Iterable<number> {
  if (!partial) return byText.get(run[0] as string) ?? [];
  if (run.length >= 3) return (byText.get(run[1] as string) ?? []).map((i) => i - 1).filter((i) => i >= 0);
  return lines.keys();
}

function lineMatches(line: string, expected: string, k: number, last: number, partial: boolean): boolean {
  if (!partial || (k > 0 && k < last)) return line === expected;
  // A lone partial line must be distinctive, or it would match inside any line.
  if (k === 0 && k === last) return expected.replace(/\s/g, "").length >= 8 && line.includes(expected);
  return k === 0 ? line.endsWith(expected) : line.startsWith(expected);
}

function place(
  claim: Claim,
  partial: boolean,
  lines: readonly string[],
  owners: number[],
  byText: Map<string, number[]>,
): boolean {
  const { run, added, hint } = claim;
  if (run.length === 0) return false;
  const last = run.length - 1;
  let best = -1;
  for (const start of candidates(run, partial, lines, byText)) {
    if (start + run.length > lines.length) break;
    let ok = true;
    let gain = false;
    for (let k = 0; k < run.length; k++) {
      if (!lineMatches(lines[start + k] as string, run[k] as string, k, last, partial)) {
        ok = false;
        break;
      }
      if (added[k] === true && (owners[start + k] as number) < 0) gain = true;
    }
    if (!ok || !gain) continue;
    if (best === -1 || (hint !== null && Math.abs(start - hint) < Math.abs(best - hint))) best = start;
    if (hint === null || start > hint) break;
  }
  if (best === -1) return false;
  for (let k = 0; k < run.length; k++) {
    if (added[k] === true && (owners[best + k] as number) < 0) owners[best + k] = claim.owner;
  }
  return true;
}

/** The maximal runs of added lines of a claim, each a claim of its own (context lines may have changed since). */
function addedParts(claim: Claim): Claim[] {
  const parts: Claim[] = [];
  let k = 0;
  while (k < claim.run.length) {
    if (claim.added[k] !== true) {
      k++;
      continue;
    }
    const from = k;
    while (k < claim.run.length && claim.added[k] === true) k++;
    const run = claim.run.slice(from, k);
    if (run.length === claim.run.length) break;
    if (run.some((line) => line.trim() !== "")) {
      const hint = claim.hint === null ? null : claim.hint + from;
      parts.push({ owner: claim.owner, run, added: run.map(() => true), hint, partial: false });
    }
  }
  return parts;
}

/** A claim for a replacement of `oldLines` by `newLines`: the new lines, marked added where the diff inserts them. */
function diffClaim(owner: number, oldLines: string[], newLines: string[]): Claim {
  const match = matchLines(oldLines, newLines);
  return { owner, run: newLines, added: Array.from(match, (m) => m < 0), hint: null, partial: false };
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
