// The counts of `stats` over the index's event rows (store/scope-rows.ts), with exactly the meaning of counting the
// snapshot's events: recorded paths re-rooted by the path map, copies of one tool call on one file kept once (the
// earliest, as events/dedupe.ts keeps them), edits outside the project left out and counted, then the command's
// filter (events/filter.ts, through the same code as for events). No event is decoded, and only the strings that
// are counted or compared are read from the rows.

import type { PathMapping } from "./engine-api";
import type { SessionInfo } from "./events/edit-event";
import { type EventFilter, filterItems } from "./events/filter";
import { AGENT, FILE, hashKey, INTS, MODEL, type RowBlock, SESSION } from "./store/event-rows";
import { compareRows, hashSlots, type ScopeRows } from "./store/scope-rows";

export interface RowStatsInput {
  rows: ScopeRows;
  /** The scope's sessions: with no filter, each counts even without an event. */
  sessions: readonly SessionInfo[];
  pathMap: readonly PathMapping[];
  isInProject(file: string): boolean;
  relativePath(file: string): string;
}

export interface RowStats {
  events: number;
  files: number;
  sessions: number;
  byModel: Map<string, number>;
  byAgent: Map<string, number>;
  outsideProject: number;
}

/** A recorded path re-rooted by the first mapping whose old path holds it (or as it is). */
export function rerootedPath(file: string, pathMap: readonly PathMapping[]): string {
  for (const { from, to } of pathMap) {
    if (file === from || file.startsWith(from.endsWith("/") ? from : `${from}/`)) return to + file.slice(from.length);
  }
  return file;
}

export function rowStats(input: RowStatsInput, filter?: EventFilter): RowStats {
  const { rows, pathMap } = input;
  const { blocks, blockOf, rowOf } = rows;
  // Each distinct re-rooted file gets an id; a block's file slots map to ids as first met.
  const fileIds = new Map<string, number>();
  const fileNames: string[] = [];
  const fileIn: boolean[] = [];
  const slotIds: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(blocks.length).fill(undefined);
  const fileIdOf = (b: number, block: RowBlock, row: number): number => {
    const ids = (slotIds[b] ??= new Int32Array(block.stringCount).fill(-1));
    const slot = block.ints[row * INTS + FILE] as number;
    const known = ids[slot];
    if (known !== undefined && known !== -1) return known;
    const file = pathMap.length === 0 ? block.file(row) : rerootedPath(block.file(row), pathMap);
    let id = fileIds.get(file);
    if (id === undefined) {
      id = fileNames.length;
      fileIds.set(file, id);
      fileNames.push(file);
      fileIn.push(input.isInProject(file));
    }
    if (known !== undefined) ids[slot] = id;
    return id;
  };
  // One row per (agent, tool-call id, file): the earliest copy (dedupeEvents), through an open-addressing table of
  // the key's hash (made again from the re-rooted file when a path map applies).
  const n = rows.count;
  const fileOf = new Int32Array(n);
  const kept = new Int32Array(n);
  const keptHash = new Uint32Array(n);
  const table = hashSlots(n);
  const mask = table.length - 1;
  let keptCount = 0;
  for (let i = 0; i < n; i++) {
    const b = blockOf[i] as number;
    const block = blocks[b] as RowBlock;
    const row = rowOf[i] as number;
    const file = fileIdOf(b, block, row);
    fileOf[i] = file;
    const hash = pathMap.length === 0 ? (block.keyHashes[row] as number) : hashKey(block.agent(row), block.toolCallId(row), fileNames[file] as string);
    let slot = hash & mask;
    let at = -1;
    for (let k = table[slot] as number; k !== -1; slot = (slot + 1) & mask, k = table[slot] as number) {
      if (keptHash[k] !== hash) continue;
      const j = kept[k] as number;
      const other = rows.block(j);
      const r = rowOf[j] as number;
      if (fileOf[j] === file && other.agent(r) === block.agent(row) && other.toolCallId(r) === block.toolCallId(row)) {
        at = k;
        break;
      }
    }
    if (at === -1) {
      table[slot] = keptCount;
      kept[keptCount] = i;
      keptHash[keptCount] = hash;
      keptCount += 1;
    } else if (compareRows(block, row, rows.block(kept[at] as number), rowOf[kept[at] as number] as number) < 0) {
      kept[at] = i;
    }
  }
  const inProject: number[] = [];
  for (let k = 0; k < keptCount; k++) if (fileIn[fileOf[kept[k] as number] as number] === true) inProject.push(kept[k] as number);
  const relative = new Map<number, string>();
  const relPath = (i: number): string => {
    const file = fileOf[i] as number;
    let rel = relative.get(file);
    if (rel === undefined) relative.set(file, (rel = input.relativePath(fileNames[file] as string)));
    return rel;
  };
  const counted = filter
    ? filterItems(inProject, filter, {
        agent: (i) => rows.block(i).agent(rowOf[i] as number),
        timestamp: (i) => rows.block(i).timestamp(rowOf[i] as number),
        file: (i) => fileNames[fileOf[i] as number] as string,
        changeSize: (i) => rows.block(i).changeSize(rowOf[i] as number),
        compare: (a, b) => compareRows(rows.block(a), rowOf[a] as number, rows.block(b), rowOf[b] as number),
        relPath,
      })
    : inProject;
  const tally = tallyRows(rows, counted, fileOf);
  if (!filter) for (const s of input.sessions) addSession(tally.sessions, s.agent, s.sessionId);
  let sessionCount = 0;
  for (const ids of tally.sessions.values()) sessionCount += ids.size;
  return { events: counted.length, files: tally.files, sessions: sessionCount, byModel: tally.byModel, byAgent: tally.byAgent, outsideProject: keptCount - inProject.length };
}

function addSession(sessions: Map<string, Set<string>>, agent: string, id: string): void {
  let ids = sessions.get(agent);
  if (ids === undefined) sessions.set(agent, (ids = new Set()));
  ids.add(id);
}

/**
 * Events by model and agent, distinct files and sessions of the `counted` rows: counted per block by string slot,
 * so only each block's distinct strings are read (Maps keyed by trace text: `__proto__` counts like any model).
 */
function tallyRows(rows: ScopeRows, counted: readonly number[], fileOf: Int32Array) {
  const { blocks, blockOf, rowOf } = rows;
  const slotCounts: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(blocks.length).fill(undefined);
  const pairs: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(blocks.length).fill(undefined);
  const seenFiles = new Set<number>();
  for (const i of counted) {
    const b = blockOf[i] as number;
    const block = blocks[b] as RowBlock;
    const at = (rowOf[i] as number) * INTS;
    const width = block.stringCount;
    // Models count in the first half, agents in the second.
    const counts = (slotCounts[b] ??= new Int32Array(2 * width));
    const agent = block.ints[at + AGENT] as number;
    counts[block.ints[at + MODEL] as number] = (counts[block.ints[at + MODEL] as number] as number) + 1;
    counts[width + agent] = (counts[width + agent] as number) + 1;
    (pairs[b] ??= new Set()).add(agent * width + (block.ints[at + SESSION] as number));
    seenFiles.add(fileOf[i] as number);
  }
  const byModel = new Map<string, number>();
  const byAgent = new Map<string, number>();
  const sessions = new Map<string, Set<string>>();
  slotCounts.forEach((counts, b) => {
    if (counts === undefined) return;
    const block = blocks[b] as RowBlock;
    const width = block.stringCount;
    for (let slot = 0; slot < width; slot++) {
      const models = counts[slot] as number;
      const agents = counts[width + slot] as number;
      if (models > 0) byModel.set(block.string(slot), (byModel.get(block.string(slot)) ?? 0) + models);
      if (agents > 0) byAgent.set(block.string(slot), (byAgent.get(block.string(slot)) ?? 0) + agents);
    }
    for (const pair of pairs[b] ?? []) addSession(sessions, block.string(Math.floor(pair / width)), block.string(pair % width));
  });
  return { byModel, byAgent, sessions, files: seenFiles.size };
}

/**
 * `rowStats` without a filter or a path map, over the scope's records' blocks as they are (`copies`): copies are
 * found by sorting each hash column (natively) and looking closer only at the rows whose hash repeats, and each
 * block is counted by its stored per-slot tally unless some of its rows lost to a copy or left the project. What a
 * warm `stats` costs is then about its blocks, not its rows. Null with a path map (re-rooting can merge keys).
 */
export function plainRowStats(
  copies: readonly { blocks: RowBlock[]; live: boolean }[],
  input: Omit<RowStatsInput, "rows">,
): (RowStats & { eventsFromDeletedTraces: number; fileSet: Set<string>; sessionSets: Map<string, Set<string>> }) | null {
  if (input.pathMap.length > 0) return null;
  const blocks: RowBlock[] = [];
  const live: boolean[] = [];
  for (const copy of copies) {
    for (const block of copy.blocks) {
      blocks.push(block);
      live.push(copy.live);
    }
  }
  const lost: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(blocks.length).fill(undefined);
  // One row per id: a copy whose trace exists, then the earliest (index-view.ts chooseCopies).
  settle(
    blocks,
    lost,
    (b) => b.idHashes,
    (a, ar, b, br) => a.id(ar) === b.id(br),
    (x, y) => (live[x.b] === true && live[y.b] !== true) || (live[x.b] === live[y.b] && compareRows(blocks[x.b] as RowBlock, x.row, blocks[y.b] as RowBlock, y.row) < 0),
  );
  let deleted = 0;
  blocks.forEach((block, b) => {
    if (live[b] === true) return;
    const mask = lost[b];
    for (let row = 0; row < block.count; row++) if (mask === undefined || mask[row] === 0) deleted += 1;
  });
  // One row per (agent, tool-call id, file): the earliest (events/dedupe.ts).
  const sameKey = (a: RowBlock, ar: number, b: RowBlock, br: number): boolean => a.file(ar) === b.file(br) && a.agent(ar) === b.agent(br) && a.toolCallId(ar) === b.toolCallId(br);
  settle(blocks, lost, (b) => b.keyHashes, sameKey, (x, y) => compareRows(blocks[x.b] as RowBlock, x.row, blocks[y.b] as RowBlock, y.row) < 0);
  const fileIn = new Map<string, boolean>();
  const inProject = (file: string): boolean => {
    let known = fileIn.get(file);
    if (known === undefined) fileIn.set(file, (known = input.isInProject(file)));
    return known;
  };
  const files = new Set<string>();
  const byModel = new Map<string, number>();
  const byAgent = new Map<string, number>();
  const sessions = new Map<string, Set<string>>();
  const add = (m: Map<string, number>, key: string, n: number): void => void m.set(key, (m.get(key) ?? 0) + n);
  let events = 0;
  let outside = 0;
  blocks.forEach((block, b) => {
    const mask = lost[b];
    const t = block.tally;
    let allIn = true;
    for (const file of t.files) if (!inProject(file)) allIn = false;
    if (mask === undefined && allIn) {
      for (let k = 0; k < t.files.length; k++) {
        files.add(t.files[k] as string);
        events += t.fileRows[k] as number;
      }
      for (let k = 0; k < t.models.length; k++) add(byModel, t.models[k] as string, t.modelRows[k] as number);
      for (let k = 0; k < t.agents.length; k++) add(byAgent, t.agents[k] as string, t.agentRows[k] as number);
      for (let k = 0; k < t.sessionAgents.length; k++) addSession(sessions, t.sessionAgents[k] as string, t.sessionIds[k] as string);
      return;
    }
    for (let row = 0; row < block.count; row++) {
      if (mask !== undefined && mask[row] === 1) continue;
      const file = block.file(row);
      if (!inProject(file)) {
        outside += 1;
        continue;
      }
      events += 1;
      files.add(file);
      add(byModel, block.model(row), 1);
      add(byAgent, block.agent(row), 1);
      addSession(sessions, block.agent(row), block.sessionId(row));
    }
  });
  for (const s of input.sessions) addSession(sessions, s.agent, s.sessionId);
  let sessionCount = 0;
  for (const ids of sessions.values()) sessionCount += ids.size;
  return { events, files: files.size, sessions: sessionCount, byModel, byAgent, outsideProject: outside, eventsFromDeletedTraces: deleted, fileSet: files, sessionSets: sessions };
}

type At = { b: number; row: number };

/**
 * Among rows not `lost`, those equal (`same`) to another are settled: all but the `better` one are marked lost. Only
 * rows whose hash (`column`) repeats are compared; the hashes are sorted natively to find those.
 */
function settle(
  blocks: readonly RowBlock[],
  lost: (Uint8Array | undefined)[],
  column: (block: RowBlock) => Uint32Array,
  same: (a: RowBlock, ar: number, b: RowBlock, br: number) => boolean,
  better: (x: At, y: At) => boolean,
): void {
  let total = 0;
  for (const block of blocks) total += block.count;
  const all = new Uint32Array(total);
  let n = 0;
  blocks.forEach((block, b) => {
    const mask = lost[b];
    const hashes = column(block);
    if (mask === undefined) {
      all.set(hashes, n);
      n += hashes.length;
    } else for (let row = 0; row < block.count; row++) if (mask[row] === 0) all[n++] = hashes[row] as number;
  });
  const sorted = all.subarray(0, n).sort();
  const repeated = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as number);
  if (repeated.size === 0) return;
  const groups = new Map<number, At[]>();
  blocks.forEach((block, b) => {
    const mask = lost[b];
    const hashes = column(block);
    for (let row = 0; row < block.count; row++) {
      const hash = hashes[row] as number;
      if (!repeated.has(hash) || (mask !== undefined && mask[row] === 1)) continue;
      const group = groups.get(hash);
      if (group === undefined) groups.set(hash, [{ b, row }]);
      else group.push({ b, row });
    }
  });
  const lose = ({ b, row }: At): void => {
    const mask = (lost[b] ??= new Uint8Array((blocks[b] as RowBlock).count));
    mask[row] = 1;
  };
  for (const group of groups.values()) {
    const winners: At[] = [];
    for (const item of group) {
      const w = winners.findIndex((x) => same(blocks[x.b] as RowBlock, x.row, blocks[item.b] as RowBlock, item.row));
      if (w === -1) winners.push(item);
      else if (better(item, winners[w] as At)) {
        lose(winners[w] as At);
        winners[w] = item;
      } else lose(item);
    }
  }
}
