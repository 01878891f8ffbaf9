// The counted files and sessions kept as lines of the event table's directory (store/count-sets.ts): an append asks
// whether its files and sessions are known by searching the frame's bytes, so the answer must be exactly a set's for
// hostile text — newlines, quotes, backslashes, a file whose name reads like a session's line or like part of another
// line — before and after the searches turn into a set, and after the frame is written and read back.

import { expect, it } from "vitest";
import { CountSets } from "../../src/store/count-sets";

const files = ["/p/src/a.ts", "/p/src/a\nb.ts", '/p/src/"q".ts', "/p/src/back\\slash.ts", '["claude","s1"]', "/p/é/ünï.ts", ""];
const sessions: [string, string[]][] = [
  ["claude", ["s1", "s\n2", '"s3"']],
  ["codex", ["c1"]],
];

/** Names near the kept ones that were not kept: parts, joins and the other kind's text. */
const absent = ["/p/src/a", "a.ts", "/p/src/b.ts", "b.ts", "/p/src/a\nb", '"q".ts', "claude", "s1", "/p/é", '"/p/src/a.ts"', "/p/src/a.ts\n/p/src/a\nb.ts"];

function expectExact(sets: CountSets, extraFiles: string[] = [], extraSessions: [string, string][] = []): void {
  for (const file of [...files, ...extraFiles]) expect(sets.hasFile(file)).toBe(true);
  for (const file of absent) expect(sets.hasFile(file)).toBe(false);
  for (const [agent, ids] of sessions) for (const id of ids) expect(sets.hasSession(agent, id)).toBe(true);
  for (const [agent, id] of extraSessions) expect(sets.hasSession(agent, id)).toBe(true);
  // A session of another agent, an id that is a file, a file that reads like a session: not known.
  expect(sets.hasSession("codex", "s1")).toBe(false);
  expect(sets.hasSession("claude", "c1")).toBe(false);
  expect(sets.hasSession("claude", "/p/src/a.ts")).toBe(false);
  expect(sets.hasFile("s1")).toBe(false);
}

it("knows exactly the files and sessions it was made of, searched and then as a set, and as written and read back", () => {
  const sets = CountSets.of(files, sessions);
  expectExact(sets);
  // More than enough searches to have made the set: the same answers again.
  for (let i = 0; i < 3; i++) expectExact(sets);
  const read = CountSets.decode(sets.encode());
  expect(read).not.toBeNull();
  expectExact(read as CountSets);
});

it("grows by an append's new files and sessions, and writes them so that a later read knows them", () => {
  const grown = CountSets.of(files, sessions).grown([{ files: ["/p/src/new\n.ts"], sessions: [["gemini", ["g\n1"]]] }]);
  expect(grown.hasFile("/p/src/new")).toBe(false);
  expectExact(grown, ["/p/src/new\n.ts"], [["gemini", "g\n1"]]);
  const read = CountSets.decode(grown.encode()) as CountSets;
  expectExact(read, ["/p/src/new\n.ts"], [["gemini", "g\n1"]]);
  expect(read.hasSession("gemini", "g")).toBe(false);
});

it("an empty set knows nothing, and a frame not written as lines is not read", () => {
  const empty = CountSets.decode(CountSets.of([], []).encode()) as CountSets;
  expect(empty.hasFile("")).toBe(false);
  expect(empty.hasSession("claude", "s1")).toBe(false);
  // The previous format's frame (one JSON object) and an empty frame are refused.
  expect(CountSets.decode(Buffer.from(JSON.stringify({ files: files, sessions }), "utf8"))).toBeNull();
  expect(CountSets.decode(Buffer.alloc(0))).toBeNull();
});
