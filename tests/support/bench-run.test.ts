// Checks the benchmark runner's edges without timing anything: bad options end with one line and exit code 2, the
// sizes it accepts (the optional 3GB and 2GB-single among them) and what it generates for them, a data folder holding
// files the bench did not write is refused and left alone, and the goals are printed with pass/FAIL from results.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const MB = 1024 * 1024;

interface Datasets {
  parseBenchSize(size: string): { generatorArgs: string[]; traceBytes: number } | null;
  defaultDataRoot(): string;
  dataset(o: { root: string; dataRoot: string; size: string; progress: (m: string) => void; fail: (m: string) => never }): unknown;
}
interface Goal {
  goal: string;
  size: string;
  value: string;
  met: boolean | null;
}
interface Report {
  checkGoals(results: unknown[]): Goal[];
  formatGoals(goals: Goal[]): string;
}

const load = async <T>(rel: string) => (await import(pathToFileURL(join(repoRoot, rel)).href)) as T;
const scratch = mkdtempSync(join(tmpdir(), "ai-blame-bench-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runBench(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bench", "run.mjs"), ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: scratch } });
}

describe("bench/run.mjs options", () => {
  it.each([
    [["--sizes", "12XB"], "bad size '12XB'"],
    [["--sizes", "2GB-double"], "bad size '2GB-double'"],
    [["--runs", "0"], "--runs must be a positive integer"],
    [["--data"], "--data needs a value"],
    [["--frobnicate"], "unknown option '--frobnicate'"],
  ])("%j: one line on stderr, exit 2, nothing generated", (args, message) => {
    const r = runBench(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringContaining(message)]);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("--help names every option", () => {
    const r = runBench(["--help"]);
    expect(r.status).toBe(0);
    for (const option of ["--sizes", "--runs", "--no-reference", "--data", "2GB-single"]) expect(r.stdout).toContain(option);
  });
});

describe("bench/lib/datasets.mjs", () => {
  it("accepts plain sizes and <N>GB-single, whose big trace comes on top of a 200 MB folder", async () => {
    const d = await load<Datasets>("bench/lib/datasets.mjs");
    expect(d.parseBenchSize("3GB")).toEqual({ generatorArgs: ["--size", "3GB"], traceBytes: 3 * 1024 * MB });
    expect(d.parseBenchSize("2GB-single")).toEqual({ generatorArgs: ["--size", "2248MB", "--big-trace", "2GB"], traceBytes: 2248 * MB });
    for (const bad of ["0MB", "3 GB", "2GB-single-x", "-1GB", "1TB"]) expect(d.parseBenchSize(bad)).toBeNull();
  });

  it("defaults to ${XDG_CACHE_HOME:-~/.cache}/ai-blame-bench, outside the checkout", async () => {
    const d = await load<Datasets>("bench/lib/datasets.mjs");
    expect(d.defaultDataRoot().endsWith(join("ai-blame-bench"))).toBe(true);
    expect(d.defaultDataRoot().startsWith(repoRoot)).toBe(false);
  });

  it("refuses a size folder holding files it did not write, and leaves them", async () => {
    const d = await load<Datasets>("bench/lib/datasets.mjs");
    const dataRoot = join(scratch, "data");
    mkdirSync(join(dataRoot, "1MB"), { recursive: true });
    writeFileSync(join(dataRoot, "1MB", "thesis.tex"), "mine\n");
    const fail = (m: string): never => {
      throw new Error(m);
    };
    expect(() => d.dataset({ root: repoRoot, dataRoot, size: "1MB", progress: () => {}, fail })).toThrow(/holds files the benchmark did not generate \(thesis\.tex\)/);
    expect(readdirSync(join(dataRoot, "1MB"))).toEqual(["thesis.tex"]);
    rmSync(dataRoot, { recursive: true, force: true });
  });
});

describe("bench/lib/report.mjs goals", () => {
  const scenario = (medianMs: number, extra: Record<string, unknown> = {}) => ({ medianMs, runsMs: [medianMs], cpuMedianMs: null, peakRssMB: null, ...extra });

  it("prints each goal of issue 15 with pass or FAIL and the value measured", async () => {
    const report = await load<Report>("bench/lib/report.mjs");
    const results = [
      {
        size: "1GB",
        traceBytes: 1e9,
        traceFiles: 170,
        expectedEvents: 100,
        expectedClaudeEvents: 70,
        expectedCodexEvents: 30,
        ours: { coldStats: scenario(1000, { events: 100, peakRssMB: 119 }), warmBlame: scenario(130), append: scenario(60) },
        reference: { coldStats: scenario(4000, { events: 70 }) },
        server: scenario(1200, { events: 99, peakRssMB: 150 }),
        inProcess: null,
      },
    ];
    const lines = report.formatGoals(report.checkGoals(results)).split("\n");
    const line = (text: string) => lines.find((l) => l.includes(text)) ?? `(no line with ${text})`;
    expect(line("≥ 5× faster")).toMatch(/^ {2}FAIL .* @ 1GB: 4\.0×$/);
    expect(line("≥ 3× faster")).toMatch(/^ {2}pass /);
    expect(line("cold index ≤ 120 MiB (CLI stats)")).toMatch(/^ {2}pass .*: 119 MiB$/);
    expect(line("server's cold index ≤ 120 MiB")).toMatch(/^ {2}FAIL .*: 150 MiB$/);
    expect(line("warm blame")).toMatch(/^ {2}FAIL .*: 130 ms$/);
    expect(line("1 MB append")).toMatch(/^ {2}pass .*: 60 ms$/);
    expect(line("every generated edit found (100)")).toMatch(/^ {2}pass /);
    expect(line("found by the server")).toMatch(/^ {2}FAIL .*: 99$/);
    expect(line("exactly the 70 Claude edits")).toMatch(/^ {2}pass /);
  });
});
