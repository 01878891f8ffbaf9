// Packed row blocks (store/event-rows.ts RowBlock.packed): a staged record's rows encoded once as it is applied, its
// columns then read from those bytes, so that the event table's flush copies them as they are. Every row must read
// as it did from the block it was packed from, its counts must be the same, the bytes must be what the table writes
// and reads back, and a string UTF-8 cannot hold (a lone surrogate from a hostile trace) must not change.

import { expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { blockOfEvents, decodeBlock, type RowBlock } from "../../src/store/event-rows";

type Row = Pick<EditEvent, "id" | "file" | "timestamp" | "model" | "agent" | "sessionId" | "traceFile" | "traceOffset" | "toolCallId" | "changeSize">;

function row(i: number, over: Partial<Row> = {}): Row {
  const sessionId = i % 3 === 0 ? "8f0c2a1e-5b7d-4e59-9a41-3c2f6d8b7e10" : "c0ffee00-1111-4222-8333-444455556666";
  const toolCallId = `toolu_01${String(i).padStart(4, "0")}Xq`;
  const file = i % 2 === 0 ? "/home/dev/shop/src/cart.ts" : "/home/dev/shop/docs/häufige-fragen.md";
  return {
    id: i % 4 === 0 ? `claude-code:${sessionId}:${toolCallId}:${file}` : `claude-code:${sessionId}:${toolCallId}:${file}#${i}`,
    file,
    timestamp: `2025-11-0${1 + (i % 9)}T08:${String(i % 60).padStart(2, "0")}:13.${String(i % 1000).padStart(3, "0")}Z`,
    model: i % 5 === 0 ? "claude-sonnet-4-5-20250929" : "claude-opus-4-5-20251101",
    agent: "claude-code",
    sessionId,
    traceFile: "/home/dev/.claude/projects/-home-dev-shop/8f0c2a1e.jsonl",
    traceOffset: 1000 + 731 * i,
    toolCallId,
    changeSize: 17 * i + 3,
    ...over,
  };
}

function rowsOf(block: RowBlock): unknown[] {
  return Array.from({ length: block.count }, (_, r) => [
    block.id(r),
    block.file(r),
    block.timestamp(r),
    block.model(r),
    block.agent(r),
    block.sessionId(r),
    block.traceFile(r),
    block.toolCallId(r),
    block.traceOffset(r),
    block.changeSize(r),
    block.idHash(r),
    block.keyHash(r),
  ]);
}

const events = (rows: Row[]): EditEvent[] => rows as EditEvent[];

it("a packed block reads every row and count as the block it was packed from, from bytes the table reads back", () => {
  const rows = Array.from({ length: 40 }, (_, i) => row(i));
  const block = blockOfEvents(events(rows));
  const expectedRows = rowsOf(block);
  const expectedTally = structuredClone(block.tally);
  const bytes = block.encode();
  const packed = blockOfEvents(events(rows)).packed();
  expect(rowsOf(packed)).toEqual(expectedRows);
  expect(packed.tally).toEqual(expectedTally);
  expect(packed.encode().equals(bytes)).toBe(true);
  // Its bytes are 8-byte aligned memory of their own (its typed columns are views into them).
  expect(packed.encode().byteOffset % 8).toBe(0);
  expect(packed.packed()).toBe(packed);
  // As the table reads them back (decodeBlock over the written bytes, its tally stored beside them).
  const read = decodeBlock(Buffer.from(bytes), 0, expectedTally);
  expect(read === null ? null : rowsOf(read.block)).toEqual(expectedRows);
  expect(read?.end).toBe(bytes.length);
});

it("a string UTF-8 cannot hold (a lone surrogate) reads as given from a packed block, while its bytes are the table's", () => {
  const lone = "toolu_\ud83d_cut";
  const rows = [row(0), row(1, { toolCallId: lone, id: `claude-code:s:${lone}:/p/a.ts`, file: "/p/a.ts", sessionId: "s" }), row(2)];
  const block = blockOfEvents(events(rows));
  const packed = blockOfEvents(events(rows)).packed();
  expect(packed.toolCallId(1)).toBe(lone);
  expect(rowsOf(packed)).toEqual(rowsOf(block));
  expect(packed.encode().equals(block.encode())).toBe(true);
  // What the table file holds (and a later process reads) is the replacement character, as before packing.
  expect(decodeBlock(packed.encode(), 0, null)?.block.toolCallId(1)).toBe("toolu_\ufffd_cut");
});

it("an empty block packs", () => {
  const packed = blockOfEvents([]).packed();
  expect(packed.count).toBe(0);
  expect(packed.tally.files).toEqual([]);
  expect(packed.encode().equals(blockOfEvents([]).encode())).toBe(true);
});
