// The kept replays' folder stays bounded, on real files in a temp folder: each write of replays drops those of files
// no longer on disk and of other layouts, and past a count or a size the least recently used (a replay read counts
// as used); what was just written is kept.

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { NewReplay } from "../../src/attribution/kept-replays";
import { encodeFrame } from "../../src/store/frames";
import { ReplayFiles } from "../../src/store/replay-cache";
import { pruneReplays, pruneSessionIds } from "../../src/store/replay-prune";

let root: string;
let packs: string;
let project: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "ai-blame-replays-"));
  packs = join(root, "contents");
  project = join(root, "project");
  mkdirSync(packs);
  mkdirSync(project);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const replaysDir = () => join(packs, "replays");
const keptCount = () => readdirSync(replaysDir()).filter((name) => name.endsWith(".json")).length;

function replayOf(lines: number): NewReplay {
  const text = Array.from({ length: lines }, (_, i) => `line ${i}`);
  return { key: `key-${lines}`, events: 1, state: { chain: { lines: text, finalNewline: true, owners: text.map(() => 0) }, claims: [], created: null, fallbacks: 0 } };
}

/** A project file, and its replay kept by `files` (written at the next flush). */
function blamed(files: ReplayFiles, name: string, lines = 3): string {
  const path = join(project, name);
  writeFileSync(path, "x\n");
  files.of(path, false).put(replayOf(lines));
  return path;
}

it("a write drops the replays of files gone from disk and of another layout, and keeps the rest", () => {
  const files = new ReplayFiles(packs);
  const a = blamed(files, "a.py");
  blamed(files, "b.py");
  files.flush();
  expect(keptCount()).toBe(2);
  expect(files.of(a, false).kept()?.key).toBe("key-3");
  // a.py deleted (or renamed); a replay of an older layout lies beside.
  rmSync(a);
  writeFileSync(join(replaysDir(), `${"0".repeat(40)}.json`), encodeFrame(JSON.stringify({ v: 1, packs: [], key: "k", state: {} })));
  blamed(files, "c.py");
  files.flush();
  expect(keptCount()).toBe(2);
  expect(new ReplayFiles(packs).of(a, false).kept()).toBeUndefined();
  expect(new ReplayFiles(packs).of(join(project, "b.py"), false).kept()?.key).toBe("key-3");
});

/** The replay file of `path` (named by the sha1 of the whitespace option and the path). */
const replayFile = (path: string) => join(replaysDir(), `${createHash("sha1").update(`loose\0${path}`).digest("hex")}.json`);
const kept = (path: string) => new ReplayFiles(packs).of(path, false).kept() !== undefined;

it("past the count or the size, the least recently used replays go first; a replay read is used", () => {
  const files = new ReplayFiles(packs);
  const [a, b, c, d] = ["a.py", "b.py", "c.py", "d.py"].map((name) => blamed(files, name)) as [string, string, string, string];
  files.flush();
  // Last used: d long ago, then c, b, a; then d is read again now.
  [d, c, b, a].forEach((path, i) => {
    const at = new Date(Date.now() - (400 - i * 100) * 1000);
    utimesSync(replayFile(path), at, at);
  });
  expect(kept(d)).toBe(true);
  pruneReplays(replaysDir(), new Set(), { files: 2, bytes: Number.POSITIVE_INFINITY });
  expect([a, b, c, d].map(kept)).toEqual([true, false, false, true]);
  // By size: a 2,000-line replay just written is kept, the others past the bound go.
  const big = blamed(files, "big.py", 2000);
  files.flush();
  pruneReplays(replaysDir(), new Set([replayFile(big)]), { files: 10, bytes: statSync(replayFile(big)).size + 10 });
  expect(keptCount()).toBe(1);
  expect(kept(big)).toBe(true);
});

const idsFiles = () => readdirSync(replaysDir()).filter((name) => name.endsWith(".ids")).sort();
const idsFile = (folder: string) => `${createHash("sha1").update(folder).digest("hex")}.ids`;

it("a project's session ids are dropped once its folder is gone, or when written by another layout", () => {
  const files = new ReplayFiles(packs);
  const other = join(root, "other");
  mkdirSync(other);
  files.sessionIds(project).put("scope-1", ["s1", "s2"]);
  files.sessionIds(other).put("scope-2", ["s3"]);
  expect(idsFiles()).toEqual([idsFile(project), idsFile(other)].sort());
  expect(files.sessionIds(other).get("scope-2")).toEqual(["s3"]);
  // The other project is removed; an older build's file (no project named) lies beside.
  rmSync(other, { recursive: true });
  writeFileSync(join(replaysDir(), `${"0".repeat(40)}.ids`), encodeFrame(JSON.stringify({ v: 4, scope: "s", ids: [] })));
  files.sessionIds(project).put("scope-3", ["s1", "s2", "s4"]);
  expect(idsFiles()).toEqual([idsFile(project)]);
  expect(files.sessionIds(project).get("scope-3")).toEqual(["s1", "s2", "s4"]);
  expect(files.sessionIds(project).get("scope-1")).toBeUndefined();
});

it("past the count, the projects whose session ids were least recently read go first", () => {
  const files = new ReplayFiles(packs);
  const folders = ["p1", "p2", "p3"].map((name) => {
    const folder = join(root, name);
    mkdirSync(folder);
    files.sessionIds(folder).put("scope", [name]);
    return folder;
  }) as [string, string, string];
  // Written long ago in this order; then p1 is read now.
  folders.forEach((folder, i) => {
    const at = new Date(Date.now() - (400 - i * 100) * 1000);
    utimesSync(join(replaysDir(), idsFile(folder)), at, at);
  });
  expect(files.sessionIds(folders[0]).get("scope")).toEqual(["p1"]);
  // A fourth project's ids are written (and kept, whatever the bound) past a bound of 3.
  files.sessionIds(project).put("scope", ["p"]);
  pruneSessionIds(replaysDir(), join(replaysDir(), idsFile(project)), 3);
  expect(idsFiles()).toEqual([idsFile(project), idsFile(folders[0]), idsFile(folders[2])].sort());
});
