// The one atomic writer: the old file or the new one and nothing in between, permissions kept, parents created
// only when asked, and no temp file left behind when the write or the rename fails (a full disk used to leave one
// empty temp file per run).

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { tempPathFor, writeFileAtomic } from "../../src/util/atomic-write";
import { tempWriterPid } from "../../src/store/stale-temp";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ai-blame-atomic-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("replaces a file whole, keeping its permission bits", () => {
  const path = join(dir, "a.txt");
  writeFileSync(path, "old\n");
  chmodSync(path, 0o640);
  writeFileAtomic(path, "new\n");
  expect(readFileSync(path, "utf8")).toBe("new\n");
  expect(statSync(path).mode & 0o777).toBe(0o640);
  writeFileAtomic(path, Buffer.from([1, 2, 3]));
  expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  expect(readdirSync(dir)).toEqual(["a.txt"]);
});

it("creates parent folders only when asked", () => {
  const path = join(dir, "x", "y", "z.json");
  expect(() => writeFileAtomic(path, "{}")).toThrow(/ENOENT/);
  writeFileAtomic(path, "{}", { createParents: true });
  expect(readFileSync(path, "utf8")).toBe("{}");
});

it("leaves no temp file when the rename fails, and the target untouched", () => {
  const target = join(dir, "taken");
  mkdirSync(join(target, "child"), { recursive: true });
  expect(() => writeFileAtomic(target, "data")).toThrow();
  expect(readdirSync(dir)).toEqual(["taken"]);
  expect(readdirSync(target)).toEqual(["child"]);
});

it("names temp files so a later run can tell whose they are", () => {
  const temp = tempPathFor(join(dir, "record.json"));
  expect(temp.startsWith(join(dir, ".record.json."))).toBe(true);
  expect(tempWriterPid(temp.slice(dir.length + 1))).toBe(process.pid);
  expect(tempWriterPid("notes.tmp")).toBeNull();
});

it("writes chunks as they are produced, and a producer that fails midway leaves the old file and no temp file", () => {
  const path = join(dir, "view.json");
  writeFileAtomic(
    path,
    (function* () {
      yield Buffer.from("first ");
      yield new Uint8Array([115, 101, 99, 111, 110, 100]);
    })(),
  );
  expect(readFileSync(path, "utf8")).toBe("first second");
  const failing = function* (): Generator<Uint8Array> {
    yield Buffer.from("half of a new ");
    throw new Error("encoding failed");
  };
  expect(() => writeFileAtomic(path, failing())).toThrow(/encoding failed/);
  expect(readFileSync(path, "utf8")).toBe("first second");
  expect(readdirSync(dir)).toEqual(["view.json"]);
});
