// Per-line attribution of one file (SPEC §5): replays the file's events in time order, carrying an owner per line
// through a real line diff between consecutive contents, then diffs the last replayed content against the current
// text. Every line of the current text gets exactly one answer: the event that last wrote it, or null with a reason.
// A recorded content is loaded only when the chain cannot be shown to hold it without: a replayed step is checked
// against its recording by line fingerprint, a content from another source by fingerprint and then content hash.

import { appendAll } from "../util/arrays";
import { boundHeapForReplay, heapCheckpoint, replayEnded } from "../util/young-generation";
import type { BlameJson } from "../contract";
import { compareEvents, type EditChange, type EditEvent, type LineFingerprint } from "../events/edit-event";
import { type ContentStore, hashContent } from "../store/content-store";
import { derivedAfterKey } from "../store/content-ref";
import type { TokenAnchor } from "../store/token-steps";
import {
  adoptText,
  advance,
  type Chain,
  CHANGED_AFTER_AI,
  CHANGED_OUTSIDE_TRACES,
  chainFingerprint,
  chainOf,
  dropText,
  emptyChain,
  type LineReplacement,
  NOT_IN_TRACES,
  replaceLines,
  replayMatches,
  textOf,
} from "./chain";
import { applyStringEdits, atRecordedLines, hunkReplacements } from "./claude-edits";
import { chunkReplacements } from "./codex-chunks";
import { applyClaims, type Claim, claimsFor } from "./fallback";
import { fingerprintAfter, sameFingerprint } from "./fingerprint";
import { advanceByPerson, type PersonEditOptions } from "./person-edits";
import { type HistorySources, replayKey, type Replays, type ReplayState, replayToKeep, restoredChain } from "./kept-replays";
import { present, toLineOwner } from "./present";

export { isBinaryText } from "./text";
export type { PersonEditOptions } from "./person-edits";
export type { HistorySources, Replays, ReplayState } from "./kept-replays";
export { toLineOwner };

/** `blame --json` without `file`: what attribution computes for one file. */
export type AttributionResult = Omit<BlameJson, "file">;

/**
 * Attributes each line of `currentText` to the event (of `events`, all for this one file, any order) that last wrote
 * it. Contents referenced by the events are read from `contents`. `options` says how edits outside the traces are
 * read (see person-edits.ts). `replays` keeps where the replay ended for the next blame of the same history, with
 * `history` (where the events came from) when given, so that blame need not read them.
 */
export function attributeFile(
  events: readonly EditEvent[],
  contents: Pick<ContentStore, "get" | "known" | "putDerived" | "holdsText" | "holdsStep" | "anchorOfHeld">,
  currentText: string,
  options: PersonEditOptions = { strictWhitespace: false },
  replays?: Replays,
  history?: HistorySources,
): AttributionResult {
  // The same tool call can reach us twice (forked or resumed sessions): replay it once.
  const seen = new Set<string>();
  const sorted: EditEvent[] = [];
  for (const event of [...events].sort(compareEvents)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    sorted.push(event);
  }

  const key = replays === undefined ? undefined : replayKey(sorted, options, replays);
  const stored = key === undefined ? undefined : replays?.kept();
  const keptState = stored?.key === key && stored?.events === sorted.length ? stored?.state() : undefined;
  let chain: Chain | null;
  let state: ReplayState;
  let kept = false;
  if (keptState !== undefined) {
    state = keptState;
    // The same history from other sources (a record grew with other files' edits): kept again under them.
    if (history !== undefined && key !== undefined && (stored?.history?.sources !== history.sources || stored.history.scope !== history.scope)) {
      replays?.put(replayToKeep(key, sorted, state, history));
      kept = true;
    }
    chain = state.chain === null ? null : restoredChain(state.chain);
  } else {
    const replayed = replayEvents(sorted, contents, options);
    chain = replayed.chain;
    state = {
      chain: chain === null ? null : { lines: chain.lines, finalNewline: chain.finalNewline, owners: chain.owners },
      claims: replayed.claims,
      created: replayed.created,
      fallbacks: replayed.fallbacks,
    };
    // Kept only when every content was there: a missing one may come back (a damaged pack heals from its trace).
    if (key !== undefined && replayed.complete) {
      replays?.put(replayToKeep(key, sorted, state, history));
      kept = true;
    }
  }

  const final = chain === null ? chainOf(currentText, NOT_IN_TRACES) : advanceByPerson(chain, currentText, CHANGED_AFTER_AI, options);
  const owners = final.owners;
  applyClaims(final.lines, owners, state.claims);
  // The next blame of this very text from the kept replay takes these owners as they are (attributeKept).
  if (kept && history !== undefined && final !== chain) replays?.keepAgain({ final: { text: hashContent(currentText), owners } });
  return {
    ...present(final.lines, owners, (index) => toLineOwner(sorted[index] as EditEvent)),
    created: state.created,
    events: sorted.length,
    fallbacks: state.fallbacks,
  };
}

/** The replay of `sorted` (one file's events in time order); `complete` is false when a content was missing. */
function replayEvents(
  sorted: readonly EditEvent[],
  store: Pick<ContentStore, "get" | "known" | "putDerived" | "holdsText" | "holdsStep" | "anchorOfHeld">,
  options: PersonEditOptions,
): { chain: Chain | null; claims: Claim[]; created: string | null; fallbacks: number; complete: boolean } {
  let complete = true;
  const contents: Pick<ContentStore, "get" | "known" | "putDerived" | "holdsText" | "holdsStep" | "anchorOfHeld"> = {
    get: (key) => {
      const text = store.get(key);
      if (text === undefined) complete = false;
      return text;
    },
    ...(store.known ? { known: (key: string) => store.known?.(key) } : {}),
    ...(store.putDerived ? { putDerived: (key: string, text: string) => store.putDerived?.(key, text) } : {}),
    ...(store.holdsText ? { holdsText: (key: string, text: string) => store.holdsText?.(key, text) === true } : {}),
    ...(store.holdsStep ? { holdsStep: store.holdsStep.bind(store) } : {}),
    ...(store.anchorOfHeld ? { anchorOfHeld: store.anchorOfHeld.bind(store) } : {}),
  };
  // A trace token known to spell the chain's text before the last replay step, and that step's replacements: the next
  // edit's pre-edit token is then compared with it in bytes (store/token-steps.ts) instead of decoded.
  let anchor: TokenAnchor | null = null;
  let stepped: readonly LineReplacement[] | null = null;
  // `chain` is null while no content of the current history is known (before any event, after a deletion).
  let chain: Chain | null = null;
  let chainKey: string | null = null;
  let created: string | null = null;
  let claims: Claim[] = [];
  let fallbacks = 0;

  // A replay decodes every content of the file's history (on a first blame, from the traces): each is garbage once
  // the next step is replayed, but unbounded the young generation doubles and the old one grows to several times
  // what is live before a full GC (a 500-edit file: 186 MiB RSS). The bulk index's bounds keep it near what is live.
  // A blame from a kept replay never gets here, so it keeps V8's defaults.
  boundHeapForReplay();
  sorted.forEach((event, index) => {
    // The loop runs without a turn of the event loop, in which the bound's GC observer would report.
    heapCheckpoint();
    // An anchor serves the very next edit only: whatever else happens to the chain invalidates it.
    const step = anchor !== null && stepped !== null ? { anchor, replacements: stepped } : null;
    anchor = null;
    stepped = null;
    const change = knownContents(event.change, contents);
    if (event.action === "DELETED" || (change.movedTo !== undefined && change.movedTo !== event.file)) {
      // A new history starts: nothing from before the deletion (or move away) is carried.
      chain = null;
      chainKey = null;
      created = null;
      claims = [];
      return;
    }
    if (event.action === "CREATED" && created === null) created = event.timestamp;
    // A rename without content (a shell `mv`): the content moves on as it is, with its owners.
    if (change.movedFrom !== undefined && change.after === undefined && change.edits === undefined && change.chunks === undefined) return;

    // What the agent saw before its edit: differences from the chain happened outside the traces. When the chain
    // holds that very content (fingerprint, then content hash) there are none, and nothing needs loading.
    if (change.before !== undefined && change.before !== chainKey && chain !== null && holds(chain, change.before, change.beforeFp)) {
      chainKey = change.before;
    }
    // A reference never resolved: the trace's bytes may spell the chain's text exactly (nothing to decode or diff).
    if (change.before !== undefined && change.before !== chainKey && chain !== null && change.beforeFp === undefined) {
      anchor = heldBefore(change.before, chain, step, contents);
      if (anchor !== null || contents.holdsText?.(change.before, textOf(chain)) === true) {
        chainKey = change.before;
        anchor ??= chain.finalNewline ? (contents.anchorOfHeld?.(change.before, chain.lines.length) ?? null) : null;
      }
    }
    if (change.before !== undefined && change.before !== chainKey) {
      const before = contents.get(change.before);
      if (before !== undefined) {
        chain = chain === null ? chainOf(before, NOT_IN_TRACES) : advanceByPerson(chain, before, CHANGED_OUTSIDE_TRACES, options);
        chainKey = change.before;
        // A reference just resolved now has its fingerprint in the store.
        takeFingerprint(chain, before, change.beforeFp ?? contents.known?.(change.before)?.fp);
      }
    }

    const chainBefore = chainKey;
    const next = replay(change, chain, index, contents);
    if (next === null) {
      fallbacks++;
      appendAll(claims, claimsFor(change, index));
      return;
    }
    chain = next.chain;
    chainKey = next.key;
    if (anchor !== null && next.replaced !== undefined && chain.finalNewline) stepped = next.replaced;
    // An Edit whose after was left to replay (its before a reference the chain holds): the text derived is recorded,
    // so the next blame checks this step by fingerprint and the next edit's before by hash equality, as recorded ones.
    const derived = change.after === undefined && change.before === chainBefore ? derivedAfterKey(event.change.before ?? "") : undefined;
    if (derived !== undefined && contents.putDerived !== undefined) {
      contents.putDerived(derived, textOf(next.chain));
    }
  });
  replayEnded();

  return { chain, claims, created, fallbacks, complete };
}

/**
 * The anchor of the reference `key` when its token is the step's anchor token with the step's replacements: the chain's
 * text, reached by that step (resolved and copied as such); null when there is no step or the bytes do not say.
 */
function heldBefore(
  key: string,
  chain: Chain,
  step: { anchor: TokenAnchor; replacements: readonly LineReplacement[] } | null,
  contents: Pick<ContentStore, "holdsStep">,
): TokenAnchor | null {
  if (step === null || contents.holdsStep === undefined || !chain.finalNewline) return null;
  let lines = step.anchor.starts.length - 1;
  for (const r of step.replacements) lines += r.lines.length - r.length;
  return lines === chain.lines.length ? contents.holdsStep(key, textOf(chain), step.anchor, step.replacements) : null;
}

/**
 * The chain after one event (owner code `owner`) and the store key of its content when that is a recorded one;
 * null when the event cannot be replayed. Claude's structuredPatch is replayed on the lines (cheap: only the hunks
 * are touched) and the recorded content is adopted when it agrees; otherwise the recorded content is diffed whole.
 * Without a recorded content, Claude's string edits and Codex chunks are replayed on the chain.
 */
function replay(
  change: EditChange,
  chain: Chain | null,
  owner: number,
  contents: Pick<ContentStore, "get">,
): { chain: Chain; key: string | null; replaced?: readonly LineReplacement[] } | null {
  if (chain !== null) {
    const verified = replayVerified(change, chain, owner);
    if (verified !== null) return verified;
  }
  const recorded = change.after === undefined ? undefined : contents.get(change.after);
  if (chain !== null && change.hunks !== undefined && change.hunks.length > 0) {
    const replacements = hunkReplacements(chain.lines, change.hunks);
    if (replacements !== null && recorded === undefined) {
      return { chain: replaceLines(chain, replacements, owner, chain.finalNewline), key: null, replaced: replacements };
    }
    if (replacements !== null && recorded !== undefined && replayMatches(chain, replacements, chain.finalNewline, recorded)) {
      const next = replaceLines(chain, replacements, owner, chain.finalNewline);
      // The recorded content is what the pieces spell: keep it as the one flat piece.
      adoptText(next, recorded);
      return { chain: next, key: change.after as string };
    }
  }
  if (recorded !== undefined) {
    const next = advance(chain ?? emptyChain(), recorded, owner);
    takeFingerprint(next, recorded, change.afterFp);
    return { chain: next, key: change.after as string };
  }
  if (change.edits !== undefined && change.edits.length > 0) {
    const base = chain !== null ? textOf(chain) : change.edits[0]?.oldString === "" ? "" : null;
    const r = base === null ? null : applyStringEdits(base, change.edits, change.hunks);
    if (r !== null) return { chain: advance(chain ?? emptyChain(), r.text, owner, r), key: null };
  }
  if (chain !== null && change.chunks !== undefined && change.chunks.length > 0) {
    const replacements = chunkReplacements(chain.lines, change.chunks);
    if (replacements !== null) return { chain: replaceLines(chain, replacements, owner, true), key: null };
  }
  return null;
}

/**
 * The change with its contents left in traces (references) named as stored contents are, by content hash and
 * fingerprint, once the store knows them (they were resolved and copied by an earlier blame or `gc`): `holds` and the
 * verified replay then work for them without loading them. References never resolved stay as they are: loading them
 * resolves them.
 */
function knownContents(change: EditChange, contents: Pick<ContentStore, "known">): EditChange {
  if (contents.known === undefined) return change;
  const before = change.before === undefined ? undefined : contents.known(change.before);
  // An Edit's after left to replay is known once a blame derived and recorded it (under its before's key).
  const afterKey = change.after ?? (change.before === undefined ? undefined : derivedAfterKey(change.before));
  const after = afterKey === undefined ? undefined : contents.known(afterKey);
  if (before === undefined && after === undefined) return change;
  const known: EditChange = { ...change };
  if (before !== undefined) {
    known.before = before.key;
    known.beforeFp = before.fp;
  }
  if (after !== undefined) {
    known.after = after.key;
    known.afterFp = after.fp;
  }
  return known;
}

/**
 * Whether the chain's content is the stored content `key` (fingerprint `fp`): a different fingerprint rules it out
 * at no cost, and the content hash decides. A fingerprint alone would do for a replay checked against its own
 * recording, but not here: the chain and the content come from different sources (a human may have moved a blank
 * line to another run of blank lines, which keeps every line and every pair of neighbours).
 */
function holds(chain: Chain, key: string, fp: LineFingerprint | undefined): boolean {
  return fp !== undefined && sameFingerprint(chainFingerprint(chain), fp) && hashContent(textOf(chain)) === key;
}

/**
 * Gives a chain just moved to the loaded content `text` that content's recorded fingerprint, when the chain has none
 * (a new chain), sparing a hash of every line. Only for LF text: the chain holds `text` with CRs turned into LFs.
 */
function takeFingerprint(chain: Chain, text: string, fp: LineFingerprint | undefined): void {
  if (chain.fp === null && fp !== undefined && text.indexOf("\r") === -1) chain.fp = fp;
}

/**
 * The steps `replay` takes with a recorded content, taken without loading it: hunks replayed at their recorded
 * lines giving the recorded content (what `replayMatches` accepts), a recorded content equal to the chain (which the
 * whole diff keeps as is), or string edits giving the recorded content (the whole diff then runs on the edited text,
 * which is that content). Null otherwise. For hunks the fingerprint decides: the chain holds the edit's `before`
 * here (checked above) and Claude's structuredPatch was computed from that text to the recorded one, so it checks a
 * replay against its own recording, where only a misplaced or inconsistent patch can differ.
 */
function replayVerified(change: EditChange, chain: Chain, owner: number): { chain: Chain; key: string } | null {
  const key = change.after;
  const expected = change.afterFp;
  if (key === undefined || expected === undefined) return null;
  if (change.hunks !== undefined && change.hunks.length > 0) {
    const replacements = hunkReplacements(chain.lines, change.hunks);
    if (replacements === null || !atRecordedLines(replacements, change.hunks)) return null;
    const fp = fingerprintAfter(chainFingerprint(chain), chain.lines, chain.finalNewline, replacements, chain.finalNewline);
    if (fp === null || !sameFingerprint(fp, expected)) return null;
    dropText(chain);
    return { chain: replaceLines(chain, replacements, owner, chain.finalNewline, fp), key };
  }
  if (holds(chain, key, expected)) return { chain, key };
  if (change.edits !== undefined && change.edits.length > 0) {
    // The edited text is built whole here, so its content hash (native, cheap beside the edit) can decide: string
    // edits may pick another occurrence of a repeated old string than the recording did.
    const r = applyStringEdits(textOf(chain), change.edits, undefined);
    if (r === null || hashContent(r.text) !== key) return null;
    return { chain: advance(chain, r.text, owner), key };
  }
  return null;
}
