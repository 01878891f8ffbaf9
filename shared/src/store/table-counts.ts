// A filter-free `stats`'s counts kept with the event table's directory (table-directory.ts), and how an append
// updates them from its new rows alone: a new row whose id hash and dedupe key hash (agent, tool-call id, file) no
// other row has is an event of its own that no copy can displace, so it simply counts (inside the project or out);
// any other change — a row whose hash is known, an entry replaced, added or removed, a trace gone — drops the counts,
// and the next `stats` counts the rows again (snapshot-stats.ts plainRowStats) and keeps the result.

import { createHash } from "node:crypto";
import { lowerBound } from "../util/arrays";
import type { SessionInfo } from "../events/edit-event";
import type { RowBlock } from "./event-rows";
import { CountSets } from "./count-sets";
import type { CountHashes, CountsGrowth, SavedCounts } from "./table-directory";

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

/** Characters of the scope's text hashed at once (an update per path cost ~1 µs each: ~1.3 ms of 1,083 at 3 GB). */
const SCOPE_CHUNK = 1 << 16;

/** A hash of the scope's paths, in order, and whether each trace exists (the sha1 of `±path\0` for each). */
export function scopeHash(scope: readonly { path: string; live: boolean }[]): string {
  const hash = createHash("sha1");
  let text = "";
  for (const { path, live } of scope) {
    text += `${live ? "+" : "-"}${path}\u0000`;
    if (text.length >= SCOPE_CHUNK) {
      hash.update(text);
      text = "";
    }
  }
  return hash.update(text).digest("hex");
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
  return { ids: ids.sort(), keys: keys.sort(), addedIds: [], addedKeys: [] };
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
  return { saved, sets: CountSets.of(counts.files, counts.sessions) };
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
 * known (it may be a copy of another event: only counting the rows again settles which copy counts). O(new rows),
 * but for the sets of counted files and sessions, which their new rows are looked up in; the sets with them added
 * are made only when asked for (a whole write of the directory).
 */
export function addGrown(
  saved: SavedCounts,
  sets: CountSets,
  hashes: CountHashes,
  grown: readonly GrownRecord[],
): { saved: SavedCounts; sets: () => CountSets; hashes: CountHashes; growth: CountsGrowth } | null {
  const ids: number[] = [];
  const keys: number[] = [];
  const addedIds = new Set(hashes.addedIds);
  const addedKeys = new Set(hashes.addedKeys);
  for (const { blocks } of grown) {
    for (const block of blocks) {
      for (let row = 0; row < block.count; row++) {
        const id = block.idHashes[row] as number;
        const key = block.keyHashes[row] as number;
        if (has(hashes.ids, id) || has(hashes.keys, key) || addedIds.has(id) || addedKeys.has(key)) return null;
        addedIds.add(id);
        addedKeys.add(key);
        ids.push(id);
        keys.push(key);
      }
    }
  }
  // What this append looked up already (each file and session is searched for in the kept sets once).
  const lookedUp = new Set<string>();
  const sessionsLookedUp = new Map<string, Set<string>>();
  let { events, outside, skipped } = saved;
  const byModel = new Map(saved.byModel);
  const byAgent = new Map(saved.byAgent);
  const files: string[] = [];
  const sessions = new Map<string, string[]>();
  let sessionsAdded = 0;
  const addSession = (agent: string, id: string): void => {
    let set = sessionsLookedUp.get(agent);
    if (set === undefined) sessionsLookedUp.set(agent, (set = new Set()));
    if (set.has(id)) return;
    set.add(id);
    if (sets.hasSession(agent, id)) return;
    sessionsAdded += 1;
    const added = sessions.get(agent);
    if (added === undefined) sessions.set(agent, [id]);
    else added.push(id);
  };
  for (const record of grown) {
    skipped += record.skippedNow - record.skippedBefore;
    for (const s of record.sessions) addSession(s.agent, s.sessionId);
    for (const block of record.blocks) {
      for (let row = 0; row < block.count; row++) {
        const file = block.file(row);
        if (!insideRoots(saved.roots, file)) {
          outside += 1;
          continue;
        }
        events += 1;
        if (!lookedUp.has(file)) {
          lookedUp.add(file);
          if (!sets.hasFile(file)) files.push(file);
        }
        byModel.set(block.model(row), (byModel.get(block.model(row)) ?? 0) + 1);
        byAgent.set(block.agent(row), (byAgent.get(block.agent(row)) ?? 0) + 1);
        addSession(block.agent(row), block.sessionId(row));
      }
    }
  }
  const { deleted, roots, scope } = saved;
  const tallies = { byModel: [...byModel], byAgent: [...byAgent] };
  const next: SavedCounts = { roots, scope, events, outside, deleted, skipped, files: saved.files + files.length, sessions: saved.sessions + sessionsAdded, ...tallies };
  const growth: CountsGrowth = { events, outside, deleted, skipped, ...tallies, files, sessions: [...sessions], ids, keys };
  let nextSets: CountSets | undefined;
  return {
    saved: next,
    sets: () => (nextSets ??= sets.grown([growth])),
    hashes: { ids: hashes.ids, keys: hashes.keys, addedIds: hashes.addedIds.concat(ids), addedKeys: hashes.addedKeys.concat(keys) },
    growth,
  };
}
