// Checks the benchmark generator on a small size: the manifest describes what was written, the total is within
// ±10% of the target, the same seed gives the same bytes, every edit replays exactly to the project files (an
// independent replay in bench/lib/gen-verify.mjs), and appending adds about N MB with exactly one new edit.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const MB = 1024 * 1024;

interface Manifest {
  size: number;
  targetSize: number;
  project: string;
  home: string;
  hotFile: string;
  hotFileLines: number;
  hotFileEdits: number;
  events: number;
  claudeEvents: number;
  codexEvents: number;
  traceFiles: number;
  subagents: number;
  appendTrace?: string;
  bigTraceBytes?: number;
}
interface Generator {
  generate(o: { size: number; out: string; bigTrace?: number; seed?: number; hotLines?: number; hotEdits?: number }): Manifest;
  appendToTrace(file: string, mb: number, o?: { seed?: number }): { bytes: number; records: number; events: number; createdFile: string };
}
interface Verifier {
  verifyGenerated(root: string): { events: number; hotEdits: number; files: number; unknown: number; problems: string[] };
}

const load = async <T>(rel: string) => (await import(pathToFileURL(join(repoRoot, rel)).href)) as T;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function digest(dir: string): string {
  const h = createHash("sha256");
  for (const f of walk(dir).sort()) h.update(f.slice(dir.length)).update(readFileSync(f));
  return h.digest("hex");
}

let gen: Generator;
let verify: Verifier;
let base: string;
let manifest: Manifest;
beforeAll(async () => {
  gen = await load<Generator>("bench/generate.mjs");
  verify = await load<Verifier>("bench/lib/gen-verify.mjs");
  base = mkdtempSync(join(tmpdir(), "ai-blame-gen-"));
  manifest = gen.generate({ size: 3 * MB, out: join(base, "a"), seed: 5, hotLines: 800, hotEdits: 40 });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: generated trace records are read by field name, whatever their shape.
type TraceRecord = Record<string, any>;

describe("bench/generate.mjs", () => {
  it("writes a home and project as the manifest says, within ±10% of the target size", () => {
    const traces = walk(manifest.home).filter((f) => f.endsWith(".jsonl"));
    const total = traces.reduce((n, f) => n + statSync(f).size, 0);
    expect(total).toBe(manifest.size);
    expect(Math.abs(manifest.size - 3 * MB)).toBeLessThan(0.1 * 3 * MB);
    expect(traces).toHaveLength(manifest.traceFiles);
    expect(traces.some((f) => f.includes(`${join(".codex", "sessions")}`))).toBe(true);
    expect(traces.filter((f) => /agent-[0-9a-f]+\.jsonl$/.test(f))).toHaveLength(manifest.subagents);
    expect(readFileSync(manifest.hotFile, "utf8").split("\n")).toHaveLength(800 + 1);
    expect(manifest.hotFileEdits).toBe(40);
    for (const f of traces) for (const line of readFileSync(f, "utf8").split("\n").slice(0, -1)) JSON.parse(line);
  });

  it("replays every edit exactly to the project files", () => {
    const r = verify.verifyGenerated(join(base, "a"));
    expect(r.problems).toEqual([]);
    expect(r.events).toBe(manifest.events);
    expect(r.hotEdits).toBe(40);
    expect(r.files).toBeGreaterThan(10);
  });

  it("is deterministic for a seed", () => {
    const again = gen.generate({ size: 3 * MB, out: join(base, "b"), seed: 5, hotLines: 800, hotEdits: 40 });
    expect(again.size).toBe(manifest.size);
    // Paths differ (a vs b), so compare after relocating: same seed, same out → same bytes.
    const first = digest(join(base, "b"));
    gen.generate({ size: 3 * MB, out: join(base, "b"), seed: 5, hotLines: 800, hotEdits: 40 });
    expect(digest(join(base, "b"))).toBe(first);
    gen.generate({ size: 3 * MB, out: join(base, "b"), seed: 6, hotLines: 800, hotEdits: 40 });
    expect(digest(join(base, "b"))).not.toBe(first);
  });

  it("appends about N MB with one new edit to Claude and Codex traces", () => {
    const traces = walk(manifest.home).filter((f) => f.endsWith(".jsonl"));
    const claude = traces.find((f) => f.includes(".claude") && !f.includes("agent-"))!;
    const codex = traces.find((f) => f.includes(".codex"))!;
    for (const file of [claude, codex]) {
      const before = readFileSync(file, "utf8");
      const r = gen.appendToTrace(file, 1);
      const after = readFileSync(file, "utf8");
      expect(after.startsWith(before)).toBe(true);
      expect(Math.abs(Buffer.byteLength(after) - Buffer.byteLength(before) - MB)).toBeLessThan(0.1 * MB);
      expect(r.events).toBe(1);
      const added = after.slice(before.length).split("\n").slice(0, -1).map((l) => JSON.parse(l) as TraceRecord);
      expect(added).toHaveLength(r.records);
      if (file === claude) {
        const lastUuid = before.split("\n").slice(0, -1).map((l) => JSON.parse(l) as TraceRecord).filter((x) => x.uuid).at(-1)!.uuid;
        const firstMessage = added.find((x) => x.uuid)!;
        expect(firstMessage.parentUuid).toBe(lastUuid);
        expect(new Set(added.filter((x) => x.sessionId).map((x) => x.sessionId)).size).toBe(1);
      }
      expect(readFileSync(r.createdFile, "utf8").length).toBeGreaterThan(0);
    }
    const r = verify.verifyGenerated(join(base, "a"));
    expect(r.problems).toEqual([]);
    expect(r.events).toBe(manifest.events + 2);
  });

  it("counts Claude and Codex edits apart", () => {
    expect(manifest.claudeEvents).toBeGreaterThan(0);
    expect(manifest.codexEvents).toBeGreaterThan(0);
    expect(manifest.claudeEvents + manifest.codexEvents).toBe(manifest.events);
    expect(manifest.appendTrace).toBeUndefined();
  });

  it("with --big-trace, one Claude session is that big and is the append target; every edit still replays", () => {
    const big = gen.generate({ size: 4 * MB, bigTrace: 2 * MB, out: join(base, "big"), seed: 3, hotLines: 600, hotEdits: 30 });
    const traces = walk(big.home).filter((f) => f.endsWith(".jsonl"));
    const largest = traces.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
    expect(big.appendTrace).toBe(largest);
    expect(largest).toContain(join(".claude", "projects"));
    expect(big.bigTraceBytes).toBe(statSync(largest).size);
    // The size asked for, plus this session's share of the hot file's edits (each carries the whole file).
    expect(statSync(largest).size).toBeGreaterThan(0.9 * 2 * MB);
    expect(statSync(largest).size).toBeLessThan(1.3 * 2 * MB);
    // The other sessions share the rest as usual: many files, Codex among them.
    expect(traces.length).toBeGreaterThan(10);
    expect(traces.some((f) => f.includes(join(".codex", "sessions")))).toBe(true);
    const r = verify.verifyGenerated(join(base, "big"));
    expect(r.problems).toEqual([]);
    expect(r.events).toBe(big.events);
    expect(() => gen.generate({ size: 2 * MB, bigTrace: 2 * MB, out: join(base, "big2") })).toThrow("--big-trace must be smaller than --size");
  });

  it("refuses bad usage with exit code 2 and a foreign folder with exit code 1", () => {
    const script = join(repoRoot, "bench", "generate.mjs");
    const bad = spawnSync(process.execPath, [script, "--size", "12XB", "--out", join(base, "c")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("bad size '12XB'");
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    mkdirSync(join(base, "foreign"));
    writeFileSync(join(base, "foreign", "notes.txt"), "mine\n");
    const foreign = spawnSync(process.execPath, [script, "--size", "1MB", "--out", join(base, "foreign")], { encoding: "utf8" });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(join(base, "foreign"))).toEqual(["notes.txt"]);
  });
});
