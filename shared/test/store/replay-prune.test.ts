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
import { pruneReplays } from "../../src/store/replay-prune";

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
