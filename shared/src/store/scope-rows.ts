// The rows of a project's scope, one per event id (forks and resumes copy a tool call into several trace files):
// the same choice index-view.ts makes among events — a copy whose trace still exists, then the earliest (time,
// trace file, offset) — made over event rows (event-rows.ts) through an open-addressing table of their id hashes,
// whose strings are compared only between rows whose hashes agree. What `stats` counts, without decoding one event.

import type { RowBlock } from "./event-rows";

/** Rows chosen from the scope's records: the i-th is row `rowOf[i]` of `blocks[blockOf[i]]`. */
export class ScopeRows {
  constructor(
    readonly blocks: readonly RowBlock[],
    readonly blockOf: Int32Array,
    readonly rowOf: Int32Array,
    /** 1 when the chosen copy's trace exists. */
    readonly liveOf: Uint8Array,
    readonly count: number,
    /** Chosen rows whose only copies are in trace files that no longer exist. */
    readonly eventsFromDeletedTraces: number,
  ) {}

  block(i: number): RowBlock {
    return this.blocks[this.blockOf[i] as number] as RowBlock;
  }
  row(i: number): number {
    return this.rowOf[i] as number;
  }
}

export const emptyRows = new ScopeRows([], new Int32Array(0), new Int32Array(0), new Uint8Array(0), 0, 0);

/** Orders two rows as compareEvents orders their events: time, then trace file, then offset. */
export function compareRows(a: RowBlock, ar: number, b: RowBlock, br: number): number {
  const at = a.timestamp(ar);
  const bt = b.timestamp(br);
  if (at !== bt) return at < bt ? -1 : 1;
  const af = a.traceFile(ar);
  const bf = b.traceFile(br);
  if (af !== bf) return af < bf ? -1 : 1;
  return a.traceOffset(ar) - b.traceOffset(br);
}

/** Slots of an open-addressing table for `n` items (a power of two, at most half full), all empty (-1). */
export function hashSlots(n: number): Int32Array {
  let size = 16;
  while (size < 2 * n) size *= 2;
  return new Int32Array(size).fill(-1);
}

/** One row per event id over the records' blocks, in scope order (as index-view.ts chooseCopies chooses events). */
export function chooseRows(copies: readonly { blocks: RowBlock[]; live: boolean }[]): ScopeRows {
  const blocks: RowBlock[] = [];
  let total = 0;
  for (const copy of copies) for (const block of copy.blocks) total += block.count;
  const blockOf = new Int32Array(total);
  const rowOf = new Int32Array(total);
  const liveOf = new Uint8Array(total);
  const table = hashSlots(total);
  const mask = table.length - 1;
  let count = 0;
  for (const { blocks: recordBlocks, live } of copies) {
    for (const block of recordBlocks) {
      const b = blocks.length;
      blocks.push(block);
      const hashes = block.idHashes;
      for (let row = 0; row < block.count; row++) {
        const hash = hashes[row] as number;
        let slot = hash & mask;
        let at = -1;
        let id: string | null = null;
        for (let i = table[slot] as number; i !== -1; slot = (slot + 1) & mask, i = table[slot] as number) {
          const other = blocks[blockOf[i] as number] as RowBlock;
          if (other.idHashes[rowOf[i] as number] !== hash) continue;
          id ??= block.id(row);
          if (other.id(rowOf[i] as number) === id) {
            at = i;
            break;
          }
        }
        if (at === -1) {
          table[slot] = count;
          blockOf[count] = b;
          rowOf[count] = row;
          liveOf[count] = live ? 1 : 0;
          count += 1;
          continue;
        }
        const priorLive = liveOf[at] === 1;
        if ((live && !priorLive) || (live === priorLive && compareRows(block, row, blocks[blockOf[at] as number] as RowBlock, rowOf[at] as number) < 0)) {
          blockOf[at] = b;
          rowOf[at] = row;
          liveOf[at] = live ? 1 : 0;
        }
      }
    }
  }
  let deleted = 0;
  for (let i = 0; i < count; i++) if (liveOf[i] === 0) deleted += 1;
  return new ScopeRows(blocks, blockOf, rowOf, liveOf, count, deleted);
}
