// The durable index against a flaky machine, through the built CLI: a torn or bit-flipped record, a missing or
// corrupt content pack are noticed (checksums) and healed by re-reading their trace, never giving silently wrong
// blame; temp files left by killed writers are removed at the next run, a live writer's are not.

import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

function numbered(from: number, to: number, label = "line"): string {
  let text = "";
  for (let i = from; i <= to; i++) text += `${label} ${i}\n`;
  return text;
}

/** A project whose src/app.ts was written by one model and edited by another (replay needs the stored contents). */
function editedProject(): { p: TestProject; trace: string } {
  const p = makeProject();
  const file = p.path("src/app.ts");
  const v1 = numbered(1, 60);
  const v2 = v1.replace("line 20\n", "line twenty\nline twenty-one\n");
  const v3 = v2.replace("line 40\n", "line forty\n");
  const session = new ClaudeSession(p.project)
    .prompt("write the app")
    .write(file, v1, null, "claude-opus-4-5-20251101")
    .edit(file, v1, "line 20\n", "line twenty\nline twenty-one\n", false, "claude-sonnet-4-5-20250929")
    .edit(file, v2, "line 40\n", "line forty\n", false, "claude-haiku-4-5-20251001");
  p.file("src/app.ts", v3);
  return { p, trace: session.save(p.home) };
}

function indexDir(p: TestProject, sub: string): string[] {
  const dir = join(p.data, "index", sub);
  return readdirSync(dir).map((name) => join(dir, name));
}

async function blameJson(p: TestProject): Promise<{ json: unknown; stderr: string }> {
  const r = await p.run(["blame", "src/app.ts", "--json", "-v"]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { json: JSON.parse(r.stdout) as unknown, stderr: r.stderr };
}

describe("index integrity", () => {
  it("a torn record is noticed and its trace re-read: blame stays right", async () => {
    const { p, trace } = editedProject();
    const good = (await blameJson(p)).json;
    for (const record of indexDir(p, "traces")) {
      const bytes = readFileSync(record);
      writeFileSync(record, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    }
    const after = await blameJson(p);
    expect(after.stderr).toContain(`the stored record of ${trace} is torn or corrupt; re-reading the trace`);
    expect(after.json).toEqual(good);
    // Healed: the next run is quiet and right.
    const again = await blameJson(p);
    expect(again.stderr).not.toMatch(/corrupt|torn/);
    expect(again.json).toEqual(good);
  });

  it("a flipped bit in a record is noticed, never a silently different answer", async () => {
    const { p } = editedProject();
    const good = (await blameJson(p)).json;
    const [record] = indexDir(p, "traces");
    const bytes = readFileSync(record ?? "");
    // Inside the head's JSON: a digit or letter of some field becomes another one.
    const at = bytes.indexOf("claude-haiku");
    bytes[at + 7] = (bytes[at + 7] ?? 0) ^ 0x01;
    writeFileSync(record ?? "", bytes);
    const after = await blameJson(p);
    expect(after.stderr).toMatch(/torn or corrupt/);
    expect(after.json).toEqual(good);
  });

  it("a missing content pack is noticed and healed by re-reading the trace", async () => {
    const { p, trace } = editedProject();
    const good = (await blameJson(p)).json;
    const packs = indexDir(p, "contents").filter((f) => f.endsWith(".pack"));
    expect(packs.length).toBeGreaterThan(0);
    for (const pack of packs) writeFileSync(pack, "");
    const first = await blameJson(p);
    expect(first.stderr).toContain(`stored contents of edits from ${trace} are missing or corrupt; the trace is re-read`);
    const healed = await blameJson(p);
    expect(healed.json).toEqual(good);
    expect((await blameJson(p)).stderr).not.toMatch(/missing or corrupt/);
  });

  it("a flipped bit in a content pack is caught by its checksum and healed", async () => {
    const { p } = editedProject();
    const good = (await blameJson(p)).json;
    for (const pack of indexDir(p, "contents").filter((f) => f.endsWith(".pack"))) {
      const bytes = readFileSync(pack);
      bytes[10] = (bytes[10] ?? 0) ^ 0x10;
      writeFileSync(pack, bytes);
    }
    const first = await blameJson(p);
    expect(first.stderr).toMatch(/checksum mismatch/);
    expect((await blameJson(p)).json).toEqual(good);
  });

  it("removes temp files of killed writers at the next run, never a live writer's", async () => {
    const { p } = editedProject();
    await blameJson(p);
    const contents = join(p.data, "index", "contents");
    const traces = join(p.data, "index", "traces");
    // What `kill -9` mid-pack and a full disk mid-write leave: a pid that is gone (beyond pid_max), written long ago.
    const deadPack = join(contents, `m0abc-4194399-1-x1y2z3.pack.tmp`);
    const deadRecord = join(traces, `.0123abcd.json.4194399.deadbeef.tmp`);
    const oldWriterRecord = join(traces, `0123abcd.json.4194399.3.abc123.tmp`);
    // A live writer's: this test's own process, just as old.
    const livePack = join(contents, `m0abc-${process.pid}-1-x1y2z3.pack.tmp`);
    const unrelated = join(contents, "notes.tmp");
    const longAgo = new Date(Date.now() - 10 * 60 * 1000);
    for (const file of [deadPack, deadRecord, oldWriterRecord, livePack, unrelated]) {
      writeFileSync(file, file === deadPack ? Buffer.alloc(4096, 7) : "");
      utimesSync(file, longAgo, longAgo);
    }
    // One that is recent: its writer may be in another pid namespace; left until it has been quiet for a while.
    const recentDead = join(contents, `m0abd-4194399-2-x1y2z3.pack.tmp`);
    writeFileSync(recentDead, "");
    await blameJson(p);
    const left = new Set([...readdirSync(contents), ...readdirSync(traces)].map((n) => n));
    expect(left.has("m0abc-4194399-1-x1y2z3.pack.tmp")).toBe(false);
    expect(left.has(".0123abcd.json.4194399.deadbeef.tmp")).toBe(false);
    expect(left.has("0123abcd.json.4194399.3.abc123.tmp")).toBe(false);
    expect(left.has(`m0abc-${process.pid}-1-x1y2z3.pack.tmp`)).toBe(true);
    expect(left.has("notes.tmp")).toBe(true);
    expect(left.has("m0abd-4194399-2-x1y2z3.pack.tmp")).toBe(true);
    expect(statSync(livePack).size).toBe(0);
    // Folders are listed only when changed since a scan left every one clean. A recent temp file among the records is
    // left; once quiet long enough, a later run lists that folder again and removes it, though nothing changed the
    // folder since (a blame of an unchanged project writes no record).
    const recentRecord = `.0123abce.json.4194399.cafef00d.tmp`;
    writeFileSync(join(traces, recentRecord), "");
    // A folder counts as unchanged only when its last change lies 2 s before a clean scan began (file system clocks).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await blameJson(p);
    expect(readdirSync(traces)).toContain(recentRecord);
    utimesSync(join(traces, recentRecord), longAgo, longAgo);
    await blameJson(p);
    expect(readdirSync(traces)).not.toContain(recentRecord);
  });
});
