// Contents by reference: a Claude Edit result line's pre-edit file is found in the line's bytes (escaped quotes and
// backslash runs inside it, key-like text, non-ASCII) at its exact offset, layouts the reasoning does not cover are
// refused, a reference resolves to the text while the bytes are unchanged and to nothing once they moved, and the
// disk store keeps a resolved text (with its hash and fingerprint) after the trace is gone.

import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { cutResultTokens, placeholder } from "../../src/agents/claude/result-tokens";
import { lineFingerprint } from "../../src/attribution/fingerprint";
import { guardOf, parseRefKey, refKey, resolveRef } from "../../src/store/content-ref";
import { hashContent } from "../../src/store/content-store";
import { DiskContentStore } from "../../src/store/disk-content-store";
import { editResultLine, promptLine, type SessionCtx } from "./support/claude-lines";
import { makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

/** A source file whose text holds everything that could look like the end of its JSON string. */
const TRICKY = [
  'const a = "x", b = {"k": "v"};',
  'const path = "C:\\\\dir\\\\"; // ends with a backslash before the quote',
  'print("done")}',
  "text = 'é ü 漢字 😀'",
  ...Array.from({ length: 200 }, (_, i) => `line_${i} = {"key_${i}": "value \\"${i}\\""}`),
].join("\n");

function editLine(ctx: SessionCtx, before: string): string {
  return editResultLine(ctx, "2025-06-01T10:00:05.000Z", "toolu_e1", "/p/f.py", before, "line_3 =", "line_3 :=");
}

it("finds the pre-edit file's token at its exact offset, and cuts it out of what is parsed", () => {
  const ctx: SessionCtx = { sessionId: "s1", cwd: "/p" };
  const prefix = promptLine(ctx, "2025-06-01T10:00:00.000Z", "edit it");
  const line = Buffer.from(editLine(ctx, TRICKY).trimEnd());
  const cut = cutResultTokens(line, "/t/s1.jsonl", Buffer.byteLength(prefix));
  expect(cut).not.toBeNull();
  const token = cut?.tokens.get("originalFile");
  expect(token?.text()).toBe(TRICKY);
  const start = (token?.ref.offset ?? 0) - Buffer.byteLength(prefix);
  expect(line.subarray(start, start + (token?.ref.length ?? 0)).toString()).toBe(JSON.stringify(TRICKY));
  const parsed = JSON.parse(cut?.line.toString() ?? "") as { toolUseResult: Record<string, unknown> };
  expect(parsed.toolUseResult.originalFile).toBe(placeholder("originalFile"));
  const whole = JSON.parse(line.toString()) as { toolUseResult: Record<string, unknown> };
  expect({ ...parsed.toolUseResult, originalFile: TRICKY }).toEqual(whole.toolUseResult);
});

it("refuses a layout where the value is followed by whitespace, and leaves small texts in the line", () => {
  const result = { filePath: "/p/f.py", oldString: "a", newString: "b", originalFile: TRICKY, structuredPatch: [], userModified: false, replaceAll: false };
  const spaced = JSON.stringify({ type: "user", toolUseResult: result }).replace(`${JSON.stringify(TRICKY)},`, `${JSON.stringify(TRICKY)} ,`);
  expect(JSON.parse(spaced)).toBeTruthy();
  expect(cutResultTokens(Buffer.from(spaced), "/t", 0)).toBeNull();
  const small = JSON.stringify({ type: "user", toolUseResult: { ...result, originalFile: "x = 1\n" } });
  expect(cutResultTokens(Buffer.from(small), "/t", 0)).toBeNull();
});

it("a reference resolves while its bytes stay, and reads as changed once they move", () => {
  const trace = join(box.traces, "t.jsonl");
  const ctx: SessionCtx = { sessionId: "s1", cwd: "/p" };
  const text = promptLine(ctx, "2025-06-01T10:00:00.000Z", "edit it") + editLine(ctx, TRICKY);
  writeFileSync(trace, text);
  const lines = text.split("\n");
  const cut = cutResultTokens(Buffer.from(lines[1] ?? ""), trace, Buffer.byteLength(`${lines[0]}\n`));
  const ref = cut?.tokens.get("originalFile")?.ref;
  if (ref === undefined) throw new Error("no token");
  expect(parseRefKey(refKey(ref))).toEqual(ref);
  expect(parseRefKey(refKey({ ...ref, path: "C:/odd:name.jsonl" }))?.path).toBe("C:/odd:name.jsonl");
  expect(resolveRef(ref)).toEqual({ text: TRICKY });
  // Appending (what agents do) changes nothing.
  appendFileSync(trace, promptLine(ctx, "2025-06-01T10:01:00.000Z", "more"));
  expect(resolveRef(ref)).toEqual({ text: TRICKY });
  // Rewritten with the first line two bytes shorter: the token's bytes are no longer where the reference points.
  writeFileSync(trace, readFileSync(trace, "utf8").replace("edit it", "edit"));
  expect(resolveRef(ref)).toEqual({ failure: "changed" });
  expect(guardOf(Buffer.from(JSON.stringify(TRICKY)))).toBe(ref.guard);
  rmSync(trace);
  expect(resolveRef(ref)).toEqual({ failure: "unreadable" });
});

it("the disk store copies a resolved reference, so it outlives its trace with its hash and fingerprint", async () => {
  const trace = join(box.traces, "t.jsonl");
  const token = JSON.stringify(TRICKY);
  writeFileSync(trace, `{"pad":"${"x".repeat(100)}","text":${token}}\n`);
  const ref = { path: trace, offset: `{"pad":"${"x".repeat(100)}","text":`.length, length: Buffer.byteLength(token), guard: guardOf(Buffer.from(token)) };
  const dir = join(box.dataDir, "contents");
  const store = new DiskContentStore(dir, recordingLog(), (e) => {
    throw e;
  });
  const key = store.putRef(ref);
  expect(store.known(key)).toBeUndefined();
  expect(store.hasCopy(key)).toBe(false);
  expect(store.get(key)).toBe(TRICKY);
  await store.drain();
  rmSync(trace);
  const log = recordingLog();
  const fresh = new DiskContentStore(dir, log, () => undefined);
  expect(fresh.known(key)).toEqual({ key: hashContent(TRICKY), fp: lineFingerprint(TRICKY) });
  expect(fresh.get(key)).toBe(TRICKY);
  expect(fresh.get(hashContent(TRICKY))).toBe(TRICKY);
  // A reference never copied, its trace gone: unavailable, said once.
  const lost = fresh.putRef({ ...ref, offset: ref.offset + 1 });
  expect(fresh.get(lost)).toBeUndefined();
  expect(fresh.secure(lost)).toBe(false);
  expect(log.lines.filter((l) => l.includes("are not available"))).toHaveLength(1);
});

it("a reference is taken as a text the caller holds only when the trace's token decodes to exactly that text", async () => {
  const trace = join(box.traces, "t.jsonl");
  const token = JSON.stringify(TRICKY);
  writeFileSync(trace, `{"text":${token}}\n`);
  const ref = { path: trace, offset: '{"text":'.length, length: Buffer.byteLength(token), guard: guardOf(Buffer.from(token)) };
  // Same length, one character different: not it; the trace's own text is copied (what a `get` would do next).
  const other = new DiskContentStore(join(box.dataDir, "other"), recordingLog(), () => undefined);
  const otherKey = other.putRef(ref);
  expect(other.holdsText(otherKey, TRICKY.replace("done", "dune"))).toBe(false);
  expect(other.hasCopy(otherKey)).toBe(true);
  expect(other.known(otherKey)).toEqual({ key: hashContent(TRICKY), fp: lineFingerprint(TRICKY) });
  // The same text with other JSON escapes in the trace is the same text.
  const escaped = join(box.traces, "escaped.jsonl");
  const slashed = token.replaceAll("/", "\\/");
  writeFileSync(escaped, `{"text":${slashed}}\n`);
  const escapedRef = { path: escaped, offset: '{"text":'.length, length: Buffer.byteLength(slashed), guard: guardOf(Buffer.from(slashed)) };
  expect(slashed).not.toBe(token);
  expect(other.holdsText(other.putRef(escapedRef), TRICKY)).toBe(true);
  const store = new DiskContentStore(join(box.dataDir, "contents"), recordingLog(), () => undefined);
  const key = store.putRef(ref);
  expect(store.holdsText(key, TRICKY)).toBe(true);
  expect(store.known(key)).toEqual({ key: hashContent(TRICKY), fp: lineFingerprint(TRICKY) });
  await store.drain();
  rmSync(trace);
  expect(new DiskContentStore(join(box.dataDir, "contents"), recordingLog(), () => undefined).get(key)).toBe(TRICKY);
});

it("copies keep their hash and fingerprint through the merging of small packs", async () => {
  const dir = join(box.dataDir, "contents");
  const texts = Array.from({ length: 20 }, (_, n) => `${TRICKY}\n# version ${n}\n`);
  const keys: string[] = [];
  for (const text of texts) {
    const trace = join(box.traces, `t${keys.length}.jsonl`);
    const token = JSON.stringify(text);
    writeFileSync(trace, `{"text":${token}}\n`);
    const store = new DiskContentStore(dir, recordingLog(), () => undefined);
    const key = store.putRef({ path: trace, offset: '{"text":'.length, length: Buffer.byteLength(token), guard: guardOf(Buffer.from(token)) });
    expect(store.get(key)).toBe(text);
    // One pack per run: past 16 small ones they are merged into one.
    await store.drain();
    rmSync(trace);
    keys.push(key);
  }
  expect(readdirSync(dir).filter((n) => n.endsWith(".pack")).length).toBeLessThan(texts.length);
  const fresh = new DiskContentStore(dir, recordingLog(), () => undefined);
  texts.forEach((text, n) => {
    expect(fresh.known(keys[n] ?? "")).toEqual({ key: hashContent(text), fp: lineFingerprint(text) });
    expect(fresh.get(keys[n] ?? "")).toBe(text);
  });
});

it("keeps the guard of a token stable across builds (indexes on disk hold guards in their reference keys)", () => {
  // A token's bytes (31·i + 7 mod 256) at every length where the sampling changes: empty, within one run, at the
  // 64-run boundary (1,024 bytes) and past it, evenly spread runs; the values are the ones written by earlier builds.
  const token = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255));
  const guards = [0, 1, 15, 16, 17, 1023, 1024, 1025, 1040, 4096, 100003].map((n) => guardOf(token(n)));
  expect(guards).toEqual([
    "050c5d1f", "ea741bd1", "6f873eb2", "836ce33f", "ee19a37c", "425d04be", "6799651f", "4b042f4c", "eb23433f", "ec15590f", "cc4aa582",
  ]);
});
