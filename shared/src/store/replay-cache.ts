// Replays kept between commands: where a blame's replay of a file's events ended (the chain's lines and owner codes,
// the claims of events it could not replay, the creation time), so the next blame of the file with the same history
// skips reading the events' changes and contents and replaying them, and only diffs that end with the text on disk;
// with the digest of the index records its history came from, and the owners its lines name, so a blame whose
// sources are unchanged reads no event at all (attribution/kept-replays.ts).
// One file per blamed path (and whitespace option) in the content store's `replays` folder: results derived from
// the packs, written when the store drains (once the packs holding what the replay copied are complete) and naming
// the packs then complete (name, size, time): one of them changed or gone (damaged, merged) and the replay is done
// again, so a damaged pack is still noticed and healed. Each file is one checksummed frame holding the key of the
// history it is for (kept-replays.ts replayKey); a torn, flipped, foreign or invalid file reads as none and is
// replaced. Written without fsync: a lost one is replayed again. The folder is bounded (replay-prune.ts): each write
// drops the replays of files gone from disk and the least recently used past a count and a size.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import type { Claim } from "../attribution/fallback";
import type { KeptReplay, KeptSessionIds, Replays, ReplayState } from "../attribution/kept-replays";
import { writeFileAtomic } from "../util/atomic-write";
import { PACK_EXT } from "./content-pack";
import { encodeFrame, readFrames } from "./frames";
import { changeTag } from "./record-codec";
import { decodeHead, encodeHead, type Head, isInt, type PackStamp, validCode } from "./replay-head";
import { IDS_EXT, pruneReplays, pruneSessionIds } from "./replay-prune";

/** Bump when the kept state's shape changes. */
const FORMAT = 4;
/** Replays waiting for the store to drain: a long-lived process that blames many files between drains keeps the last. */
const MAX_PENDING = 64;

/** A replay to write: its head's JSON (without version and packs) and its second frame (chain and claims). */
interface Encoded {
  head: Head;
  json: string;
  body: string | Buffer;
}

/** The kept replays of one content store (its folder `packsDir`). */
export class ReplayFiles {
  /** Replays to write at the next `flush`, by file. */
  private readonly pending = new Map<string, Encoded>();

  constructor(private readonly packsDir: string) {}

  private get dir(): string {
    return join(this.packsDir, "replays");
  }

  /** The replays of blames of `file`. */
  of(file: string, strictWhitespace: boolean): Replays {
    const name = createHash("sha1").update(`${strictWhitespace ? "strict" : "loose"}\0${file}`).digest("hex");
    const path = join(this.dir, `${name}.json`);
    // The replay last read or put, which keepAgain keeps again.
    let last: { head: Head; body: string | Buffer } | null = null;
    let read: ReturnType<ReplayFiles["read"]> | null = null;
    const keep = (head: Head, body: string | Buffer): void => {
      last = { head, body };
      this.pending.delete(path);
      // Encoded now: the caller goes on to change the chain's owners.
      this.pending.set(path, { head, json: encodeHead(head), body });
      if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    };
    return {
      tagOf: changeTag,
      // Read once per blame (its snapshot, then attribution, may ask).
      kept: () => {
        if (read === null) {
          read = this.read(path);
          if (read !== undefined) last = { head: read.head, body: read.body };
        }
        return read?.kept;
      },
      put: ({ key, events, state, history }) => {
        const head: Head = { file, key, events, created: state.created, fallbacks: state.fallbacks, ...(history === undefined ? {} : { history }) };
        keep(head, JSON.stringify({ chain: state.chain, claims: state.claims }));
      },
      keepAgain: (change) => {
        if (last !== null) keep({ ...last.head, ...change }, last.body);
      },
    };
  }

  /**
   * A project's session ids by the digest of its scope: one small file per project (by its key), `<sha1>.ids` beside
   * the replays, holding the ids for the last digest written and the project's folder (so that pruning can drop the
   * file of a project gone from disk). Written at once (not at flush: it names no pack); a read touches it, as a
   * replay's read does, for pruning's least-recently-used order.
   */
  sessionIds(project: string): KeptSessionIds {
    const path = join(this.dir, `${createHash("sha1").update(project).digest("hex")}${IDS_EXT}`);
    return {
      get: (scope) => {
        const frames = wholeFrames(path, 1);
        if (frames === undefined) return undefined;
        try {
          const kept = JSON.parse((frames[0] as Buffer).toString("utf8")) as { v?: unknown; project?: unknown; scope?: unknown; ids?: unknown };
          if (kept.v !== FORMAT || kept.project !== project || kept.scope !== scope) return undefined;
          if (!Array.isArray(kept.ids) || !kept.ids.every((id) => typeof id === "string")) return undefined;
          touch(path);
          return kept.ids as string[];
        } catch {
          return undefined;
        }
      },
      put: (scope, ids) => {
        try {
          writeFileAtomic(path, encodeFrame(JSON.stringify({ v: FORMAT, project, scope, ids })), { createParents: true, fsyncData: false });
          pruneSessionIds(this.dir, path);
        } catch {
          // Not kept: the next command lists the sessions again.
        }
      },
    };
  }

  /** Writes the replays kept since the last call, naming the packs complete now (call once the store drained). */
  flush(): void {
    if (this.pending.size === 0) return;
    const packs = JSON.stringify(this.stamps());
    const written = new Set<string>();
    for (const [path, { json, body }] of this.pending) {
      try {
        const bytes = Buffer.concat([encodeFrame(`{"v":${FORMAT},${json.slice(1, -1)},"packs":${packs}}`), encodeFrame(body)]);
        writeFileAtomic(path, bytes, { createParents: true, fsyncData: false });
        written.add(path);
      } catch {
        // Not kept: the next blame replays again.
      }
    }
    this.pending.clear();
    pruneReplays(this.dir, written);
  }

  /** The kept replay at `path` (its state parsed when first asked for), with its head and raw state frame. */
  private read(path: string): { kept: KeptReplay; head: Head; body: Buffer } | undefined {
    const frames = wholeFrames(path, 2);
    if (frames === undefined) return undefined;
    let decoded: ReturnType<typeof decodeHead>;
    try {
      decoded = decodeHead(JSON.parse((frames[0] as Buffer).toString("utf8")), FORMAT);
    } catch {
      return undefined;
    }
    if (decoded === undefined || !decoded.packs.every((p) => this.unchanged(p))) return undefined;
    const { head } = decoded;
    touch(path);
    const body = frames[1] as Buffer;
    let state: ReplayState | null | undefined = null;
    const kept: KeptReplay = {
      ...head,
      state: () => {
        if (state === null) state = parseState(body, head);
        return state;
      },
    };
    return { kept, head, body };
  }

  private stamps(): PackStamp[] {
    const stamps: PackStamp[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(this.packsDir);
    } catch {
      return stamps;
    }
    for (const name of names) {
      if (!name.endsWith(PACK_EXT)) continue;
      try {
        const info = statSync(join(this.packsDir, name));
        stamps.push([name, info.size, info.mtimeMs]);
      } catch {
        // Merged away meanwhile: not one this replay's contents are in.
      }
    }
    return stamps;
  }

  private unchanged(stamp: PackStamp): boolean {
    if (!Array.isArray(stamp) || typeof stamp[0] !== "string" || stamp[0].includes("/") || stamp[0].includes("\\")) return false;
    try {
      const info = statSync(join(this.packsDir, stamp[0]));
      return info.size === stamp[1] && info.mtimeMs === stamp[2];
    } catch {
      return false;
    }
  }
}

/** Marks a kept file used now: the least recently used are the ones pruning drops first. */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Read-only data folder: pruning just sees it older.
  }
}

function validClaim(claim: Claim, events: number): boolean {
  return (
    typeof claim === "object" && claim !== null && isInt(claim.owner) && claim.owner >= 0 && claim.owner < events &&
    Array.isArray(claim.run) && claim.run.every((line) => typeof line === "string") &&
    Array.isArray(claim.added) && claim.added.length === claim.run.length && claim.added.every((a) => typeof a === "boolean") &&
    (claim.hint === null || isInt(claim.hint)) && typeof claim.partial === "boolean"
  );
}

/** Whether a kept state has the shape a replay of `events` events gives (the file is ours, but may be damaged). */
function validState(state: ReplayState, events: number): boolean {
  if (typeof state !== "object" || state === null) return false;
  if (!isInt(state.fallbacks) || (state.created !== null && typeof state.created !== "string")) return false;
  if (!Array.isArray(state.claims) || !state.claims.every((c) => validClaim(c, events))) return false;
  const chain = state.chain;
  if (chain === null) return true;
  if (typeof chain !== "object" || typeof chain.finalNewline !== "boolean" || !Array.isArray(chain.lines) || !Array.isArray(chain.owners)) {
    return false;
  }
  const { lines, owners } = chain;
  if (owners.length !== lines.length) return false;
  // Plain loops: this runs once per blame, before the engine compiled anything of it.
  for (let i = 0; i < lines.length; i++) {
    if (typeof lines[i] !== "string" || !validCode(owners[i], events)) return false;
  }
  return true;
}

/** The state of a kept replay from its second frame, or undefined when that is not a valid chain and claims. */
function parseState(body: Buffer, head: Head): ReplayState | undefined {
  let parsed: Pick<ReplayState, "chain" | "claims">;
  try {
    parsed = JSON.parse(body.toString("utf8")) as Pick<ReplayState, "chain" | "claims">;
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const state: ReplayState = { chain: parsed.chain, claims: parsed.claims, created: head.created, fallbacks: head.fallbacks };
  return validState(state, head.events) ? state : undefined;
}

/** The `count` frames of the file at `path` when it is whole and holds exactly that many; undefined otherwise. */
function wholeFrames(path: string, count: number): Buffer[] | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const read = readFrames(bytes);
  return read.end === "whole" && read.frames.length === count ? read.frames : undefined;
}
