// A filter-free `stats`'s counts kept with the event table's directory (table-directory.ts), and how an append
// updates them from its new rows alone: a new row whose id hash and dedupe key hash (agent, tool-call id, file) no
// other row has is an event of its own that no copy can displace, so it simply counts (inside the project or out);
// any other change — a row whose hash is known, an entry replaced, added or removed, a trace gone — drops the counts,
// and the next `stats` counts the rows again (snapshot-stats.ts plainRowStats) and keeps the result.

import { createHash } from "node:crypto";
import { lowerBound } from "../util/arrays";
import type { SessionInfo } from "../events/edit-event";
import type { RowBlock } from "./event-rows";
import { type CountHashes, type CountSets, type CountsGrowth, type SavedCounts, sortedWith } from "./table-directory";

/** What a filter-free `stats` reports of the rows (besides what discovery gives). */
export interface PlainCounts {
  events: number;
  outside: number;
  deleted: number;
  skipped: number;
  files: Set<string>;
  sessions: Map<string, Set<string>>;
  byModel: Map<string, number>;
  byAgent: Map<string, number>;
}

/** A hash of the scope's paths, in order, and whether each trace exists. */
export function scopeHash(scope: readonly { path: string; live: boolean }[]): string {
  const hash = createHash("sha1");
  for (const { path, live } of scope) hash.update(`${live ? "+" : "-"}${path}\u0000`);
  return hash.digest("hex");
}

/** Every row's id and dedupe key hash over `blocks`, each sorted. */
export function rowHashes(blocks: Iterable<RowBlock>): CountHashes {
  const list = [...blocks];
  let total = 0;
  for (const block of list) total += block.count;
  const ids = new Uint32Array(total);
  const keys = new Uint32Array(total);
  let at = 0;
  for (const block of list) {
    ids.set(block.idHashes.subarray(0, block.count), at);
    keys.set(block.keyHashes.subarray(0, block.count), at);
    at += block.count;
  }
  return { ids: ids.sort(), keys: keys.sort() };
}

export function savedFrom(counts: PlainCounts, roots: readonly string[], scope: string): { saved: SavedCounts; sets: CountSets } {
  let sessions = 0;
  for (const ids of counts.sessions.values()) sessions += ids.size;
  const saved: SavedCounts = {
    roots: [...roots],
    scope,
    events: counts.events,
    outside: counts.outside,
    deleted: counts.deleted,
    skipped: counts.skipped,
    files: counts.files.size,
    sessions,
    byModel: [...counts.byModel],
    byAgent: [...counts.byAgent],
  };
  return { saved, sets: { files: [...counts.files], sessions: [...counts.sessions].map(([agent, ids]) => [agent, [...ids]]) } };
}

function countsFrom(saved: SavedCounts, sets: CountSets): PlainCounts {
  return {
    events: saved.events,
    outside: saved.outside,
    deleted: saved.deleted,
    skipped: saved.skipped,
    files: new Set(sets.files),
    sessions: new Map(sets.sessions.map(([agent, ids]) => [agent, new Set(ids)])),
    byModel: new Map(saved.byModel),
    byAgent: new Map(saved.byAgent),
  };
}

/** Whether `file` is `root` or inside one of `roots` (as the snapshot decides what is in the project). */
export function insideRoots(roots: readonly string[], file: string): boolean {
  for (const root of roots) if (file === root || file.startsWith(root.endsWith("/") ? root : `${root}/`)) return true;
  return false;
}

function has(sorted: Uint32Array, value: number): boolean {
  const at = lowerBound(sorted, value);
  return at < sorted.length && sorted[at] === value;
}

/** One live record grown by new blocks: its sessions as merged now, and its skipped lines before and now. */
export interface GrownRecord {
  blocks: RowBlock[];
  sessions: readonly SessionInfo[];
  skippedBefore: number;
  skippedNow: number;
}

/**
 * The counts (and hashes) with the rows of `grown` added, or null when some new row's id or key hash is already
 * known (it may be a copy of another event: only counting the rows again settles which copy counts).
 */
export function addGrown(
  saved: SavedCounts,
  sets: CountSets,
  hashes: CountHashes,
  grown: readonly GrownRecord[],
): { saved: SavedCounts; sets: CountSets; hashes: CountHashes; growth: CountsGrowth } | null {
  const ids: number[] = [];
  const keys: number[] = [];
  const newIds = new Set<number>();
  const newKeys = new Set<number>();
  for (const { blocks } of grown) {
    for (const block of blocks) {
      for (let row = 0; row < block.count; row++) {
        const id = block.idHashes[row] as number;
        const key = block.keyHashes[row] as number;
        if (has(hashes.ids, id) || has(hashes.keys, key) || newIds.has(id) || newKeys.has(key)) return null;
        newIds.add(id);
        newKeys.add(key);
        ids.push(id);
        keys.push(key);
      }
    }
  }
  const counts = countsFrom(saved, sets);
  const files: string[] = [];
  const sessions = new Map<string, string[]>();
  const addSession = (agent: string, id: string): void => {
    let set = counts.sessions.get(agent);
    if (set === undefined) counts.sessions.set(agent, (set = new Set()));
    if (set.has(id)) return;
    set.add(id);
    const added = sessions.get(agent);
    if (added === undefined) sessions.set(agent, [id]);
    else added.push(id);
  };
  for (const record of grown) {
    counts.skipped += record.skippedNow - record.skippedBefore;
    for (const s of record.sessions) addSession(s.agent, s.sessionId);
    for (const block of record.blocks) {
      for (let row = 0; row < block.count; row++) {
        const file = block.file(row);
        if (!insideRoots(saved.roots, file)) {
          counts.outside += 1;
          continue;
        }
        counts.events += 1;
        if (!counts.files.has(file)) {
          counts.files.add(file);
          files.push(file);
        }
        counts.byModel.set(block.model(row), (counts.byModel.get(block.model(row)) ?? 0) + 1);
        counts.byAgent.set(block.agent(row), (counts.byAgent.get(block.agent(row)) ?? 0) + 1);
        addSession(block.agent(row), block.sessionId(row));
      }
    }
  }
  const next = savedFrom(counts, saved.roots, saved.scope);
  const { events, outside, deleted, skipped, byModel, byAgent } = next.saved;
  const growth: CountsGrowth = { events, outside, deleted, skipped, byModel, byAgent, files, sessions: [...sessions], ids, keys };
  return { saved: next.saved, sets: next.sets, hashes: { ids: sortedWith(hashes.ids, ids), keys: sortedWith(hashes.keys, keys) }, growth };
}
