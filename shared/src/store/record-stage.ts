// A record read whole, encoded for its staged file (store/staged-records.ts) and described without parsing what was
// encoded: the head object the encoding made is the decoded head (its events are read back from the file when
// used). Staging used to decode the bytes it had just written (JSON.parse of every head and a checksum pass over
// every frame: ~60 ms of a 1 GB cold index, plus the garbage).

import { framePieces } from "./frames";
import { encodeChanges } from "./lazy-changes";
import { type SegmentHead, segmentHead, type StoredExtent, type TraceRecord } from "./record-codec";

export interface StagedEncoding {
  /** The record's one segment as pieces to write in order. */
  pieces: Buffer[];
  bytes: number;
  /** The record's metadata and sessions as decodeRecord reads them back (its events are left to the caller). */
  meta: Omit<TraceRecord, "events" | "stored">;
  extent: Omit<StoredExtent, "ino" | "fileBytes">;
}

/** Encodes `record` as one segment written at byte `at` of its staged file, and what a decode of it gives. */
export function encodeStaged(record: TraceRecord, at: number): StagedEncoding {
  const { head, added } = segmentHead(record, 0);
  const headFrame = framePieces(JSON.stringify(head));
  const changesFrame = framePieces(encodeChanges(added.map((e) => e.change)));
  const start = at + headFrame[0].length + headFrame[1].length + 1;
  const end = start + changesFrame[0].length + changesFrame[1].length + 1;
  const header = changesFrame[0].toString("latin1", 0, changesFrame[0].length - 1);
  const { strings: _strings, events: _events, ...meta } = head;
  const heads: SegmentHead[] = [{ at: [start, end, header], head }];
  const events = added.length;
  return { pieces: [...headFrame, ...changesFrame], bytes: end - at, meta, extent: { bytes: end, segments: 1, events, base: { bytes: end, events }, heads } };
}
