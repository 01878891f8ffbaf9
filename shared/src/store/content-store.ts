// Whole-file contents (Claude's originalFile, Write content, replay results) stored once by hash, so events stay
// small and identical contents (forks, resumes) cost nothing extra. The in-memory store serves `--no-cache` runs and
// tests; the durable index provides a disk-backed implementation of the same interface.

import { createHash, hash } from "node:crypto";
import type { LineFingerprint } from "../events/edit-event";
import type { LineReplacement } from "../attribution/chain";
import type { KeptSessionIds, Replays } from "../attribution/kept-replays";
import type { ContentRef } from "./content-ref";
import type { TokenAnchor } from "./token-steps";

export interface ContentStore {
  /** Stores text and returns its key (a content hash). */
  put(text: string): string;
  /** The text for a key, or undefined if unknown. */
  get(key: string): string | undefined;
  /**
   * Where a store takes references (the durable index): the key of a text left in its trace (content-ref.ts),
   * resolved by `get`. A store without it is given the text itself.
   */
  putRef?(ref: ContentRef): string;
  /**
   * The content hash and line fingerprint of a referenced text once it was resolved (and copied), so replay can check
   * it against its chain without loading it; undefined while it never was.
   */
  known?(key: string): { key: string; fp: LineFingerprint } | undefined;
  /** Records `text` under a key of its own (content-ref.ts derivedAfterKey), so `known` answers for it. */
  putDerived?(key: string, text: string): void;
  /**
   * Whether a reference never resolved names exactly `text` (its token in the trace decodes to `text`): then it is
   * resolved as `text`, which is copied once. Otherwise a text it names is resolved (copied) as `get` would.
   */
  holdsText?(key: string, text: string): boolean;
  /**
   * `holdsText` for a text a replay reached from the text `anchor` spells by one step of `replacements`: compared in
   * bytes (token-steps.ts), resolving the reference as `text` when it holds. The reference's anchor then; null when
   * the bytes do not say (holdsText decides).
   */
  holdsStep?(key: string, text: string, anchor: TokenAnchor, replacements: readonly LineReplacement[]): TokenAnchor | null;
  /** The anchor of the reference `holdsText` just found to name a text of `lines` lines with a final newline. */
  anchorOfHeld?(key: string, lines: number): TokenAnchor | null;
  /** Where blames of `file` keep their replays (store/replay-cache.ts), for a store on disk. */
  replays?(file: string, strictWhitespace: boolean): Replays;
  /** Where a project (by its roots' key) keeps its session ids for a scope digest (replay-cache.ts), on disk. */
  keptSessionIds?(project: string): KeptSessionIds;
}

/**
 * Whether this Node has the one-shot digest (20.12+: ~4 instead of ~9 us for a 5 KB text, no Hash object per call),
 * found out by calling it: the CLI bundle loads node:crypto on first use through a stand-in that has every export.
 */
let oneShot = true;

export function hashContent(text: string): string {
  if (oneShot) {
    try {
      return hash("sha1", text, "hex");
    } catch {
      oneShot = false;
    }
  }
  return createHash("sha1").update(text).digest("hex");
}

export class MemoryContentStore implements ContentStore {
  private readonly texts = new Map<string, string>();
  /** The last texts put: the text before an edit is usually the one after a recent edit (skips hashing it again). */
  private readonly recent: { key: string; text: string }[] = [];

  put(text: string): string {
    for (const r of this.recent) if (r.text.length === text.length && r.text === text) return r.key;
    const key = hashContent(text);
    if (!this.texts.has(key)) this.texts.set(key, text);
    this.recent.unshift({ key, text });
    if (this.recent.length > 8) this.recent.pop();
    return key;
  }

  get(key: string): string | undefined {
    return this.texts.get(key);
  }
}
