// The names of the index's files: the sha1 (hex) of a project's key or of a trace's path. A trace's name is kept once
// made: an index names each trace's record file 3 to 5 times (read, staged, written, its table entry), and a sha1
// cost 5-25 µs each in a first index's code that is not optimised yet.

import { createHash } from "node:crypto";

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

const recordNames = new Map<string, string>();

/** The name of a trace's record file (without its extension). */
export function recordName(trace: string): string {
  let name = recordNames.get(trace);
  if (name === undefined) recordNames.set(trace, (name = sha1(trace)));
  return name;
}
