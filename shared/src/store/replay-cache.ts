// Replays kept between commands: where a blame's replay of a file's events ended (the chain's lines and owner codes,
// the claims of events it could not replay, the creation time), so the next blame of the file with the same history
// skips reading the events' changes and contents and replaying them, and only diffs that end with the text on disk.
// One file per blamed path (and whitespace option) in the content store's `replays` folder: results derived from
// the packs, written when the store drains (once the packs holding what the replay copied are complete) and naming
// the packs then complete (name, size, time): one of them changed or gone (damaged, merged) and the replay is done
// again, so a damaged pack is still noticed and healed. Each file is one checksummed frame holding the key of the
// history it is for (kept-replays.ts replayKey); a torn, flipped, foreign or other history's file reads as none and
// is replaced. Written without fsync: a lost one is replayed again.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Claim } from "../attribution/fallback";
import type { Replays, ReplayState } from "../attribution/kept-replays";
import { writeFileAtomic } from "../util/atomic-write";
import { PACK_EXT } from "./content-pack";
import { encodeFrame, readFrames } from "./frames";
import { changeTag } from "./record-codec";

/** Bump when the kept state's shape changes. */
const FORMAT = 1;
const REASONS = new Set([-1, -2, -3]);
/** Owner-code flags (person-edits.ts REFORMATTED, MOVED) and the event index below them. */
const FLAGS = (1 << 28) | (1 << 29);
const EVENT_INDEX = (1 << 28) - 1;

/** A complete pack as a kept replay names it. */
type PackStamp = [name: string, size: number, mtimeMs: number];

interface Stored {
  v: number;
  packs: PackStamp[];
  key: string;
  state: ReplayState;
}

/** The kept replays of one content store (its folder `packsDir`). */
export class ReplayFiles {
  /** Replays to write at the next `flush`, by file: the JSON of their key and state. */
  private readonly pending = new Map<string, string>();

  constructor(private readonly packsDir: string) {}

  /** The replays of blames of `file`. */
  of(file: string, strictWhitespace: boolean): Replays {
    const name = createHash("sha1").update(`${strictWhitespace ? "strict" : "loose"}\0${file}`).digest("hex");
    const path = join(this.packsDir, "replays", `${name}.json`);
    return {
      tagOf: changeTag,
      get: (key, events) => this.read(path, key, events),
      // Encoded now: the caller goes on to change the chain's owners.
      put: (key, state) => void this.pending.set(path, JSON.stringify({ key, state })),
    };
  }

  /** Writes the replays kept since the last call, naming the packs complete now (call once the store drained). */
  flush(): void {
    if (this.pending.size === 0) return;
    const packs = JSON.stringify(this.stamps());
    for (const [path, kept] of this.pending) {
      try {
        writeFileAtomic(path, encodeFrame(`{"v":${FORMAT},"packs":${packs},${kept.slice(1)}`), { createParents: true, fsyncData: false });
      } catch {
        // Not kept: the next blame replays again.
      }
    }
    this.pending.clear();
  }

  private read(path: string, key: string, events: number): ReplayState | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    const read = readFrames(bytes);
    if (read.end !== "whole" || read.frames.length !== 1) return undefined;
    try {
      const stored = JSON.parse((read.frames[0] as Buffer).toString("utf8")) as Stored;
      if (stored?.v !== FORMAT || stored.key !== key || !Array.isArray(stored.packs) || !stored.packs.every((p) => this.unchanged(p))) return undefined;
      return validState(stored.state, events) ? stored.state : undefined;
    } catch {
      return undefined;
    }
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

const isInt = (x: unknown): x is number => Number.isSafeInteger(x);

function validCode(code: unknown, events: number): boolean {
  return isInt(code) && (code < 0 ? REASONS.has(code) : (code & ~(EVENT_INDEX | FLAGS)) === 0 && (code & EVENT_INDEX) < events);
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
