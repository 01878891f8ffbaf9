// A record read whole, encoded for its staged file (store/staged-records.ts) and read back without parsing what was
// encoded: the head objects the encoding made are the decoded heads, and each event's change is read from the
// staged file on first use. Staging used to decode the bytes it had just written (JSON.parse of every head and a
// checksum pass over every frame: ~60 ms of a 1 GB cold index, plus the garbage).

import type { EditEvent } from "../events/edit-event";
import { framePieces } from "./frames";
import { encodeChanges, LazyChanges, type RecordFile } from "./lazy-changes";
import { decodeEvents, type SegmentHead, segmentHead, type StoredExtent, type TraceRecord } from "./record-codec";

export interface StagedEncoding {
  /** The record's one segment as pieces to write in order. */
  pieces: Buffer[];
  bytes: number;
  /** The record as decodeRecord reads it back from `file` (events' changes read from there when used). */
  record: TraceRecord;
  extent: Omit<StoredExtent, "ino" | "fileBytes">;
}

/** Encodes `record` as one segment written at byte `at` of `file`, and the record read back from it. */
export function encodeStaged(record: TraceRecord, file: RecordFile, at: number, onLazyCorrupt: () => void): StagedEncoding {
  const { head, added } = segmentHead(record, 0);
  const headFrame = framePieces(JSON.stringify(head));
  const changesFrame = framePieces(encodeChanges(added.map((e) => e.change)));
  const start = at + headFrame[0].length + headFrame[1].length + 1;
  const end = start + changesFrame[0].length + changesFrame[1].length + 1;
  const header = changesFrame[0].toString("latin1", 0, changesFrame[0].length - 1);
  const events: EditEvent[] = [];
  decodeEvents(head, new LazyChanges({ file, start, end, header }, added.length, onLazyCorrupt), events);
  const { strings: _strings, events: _events, ...rest } = head;
  const heads: SegmentHead[] = [{ at: [start, end, header], head }];
  return {
    pieces: [...headFrame, ...changesFrame],
    bytes: end - at,
    record: { ...rest, events },
    extent: { bytes: end, segments: 1, events: events.length, base: { bytes: end, events: events.length }, heads },
  };
}
