// Every valid JSON layout of a trace gives the same events: the bundled example's traces (every agent's, JSONL logs
// and whole JSON files) and a small generated benchmark corpus, rewritten by a real re-serialiser (Python's json
// module) with its default separators (", " and ": "), with sorted keys, and with every non-ASCII character
// \u-escaped, give the built CLI the same `timeline --json`, `blame --json` and `stats --json` as the traces the
// agents wrote.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExampleHome, type ExampleHome } from "../../tests/support/example-home";
import { repoRoot, runCli } from "./support/run-cli";

const hasPython = spawnSync("python3", ["--version"]).status === 0;

/** Rewrites every .jsonl under a folder line by line, and every .json whole, in one layout (argv: layout, folder). */
const REWRITER = `
import json, os, sys
layout, root = sys.argv[1], sys.argv[2]
def dump(value):
    if layout == "spaced":
        return json.dumps(value, ensure_ascii=False)
    if layout == "sorted":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return json.dumps(value, separators=(",", ":"))
for folder, _, names in os.walk(root):
    for name in names:
        path = os.path.join(folder, name)
        if name.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                value = json.load(f)
            with open(path, "w", encoding="utf-8") as f:
                f.write(dump(value))
            continue
        if not name.endswith(".jsonl"):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            lines = f.read().split("\\n")
        out = []
        for line in lines:
            if line.strip() == "":
                out.append(line)
                continue
            out.append(dump(json.loads(line)))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\\n".join(out))
`;

const LAYOUTS = ["spaced", "sorted", "ascii"] as const;

/** A copy of `home` with its traces in `layout`; the copy's root is returned. */
function relaid(home: string, layout: string, scratch: string): string {
  const copy = join(scratch, layout);
  cpSync(home, copy, { recursive: true });
  const r = spawnSync("python3", ["-c", REWRITER, layout, copy], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`rewriter failed: ${r.stderr}`);
  return copy;
}

function traceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".jsonl"))
    .map((e) => join(e.parentPath, e.name));
}

/** The outputs compared across layouts, with the home folder (named in `traceFile`) written as HOME. */
async function outputs(home: string, project: string, files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const data = mkdtempSync(join(tmpdir(), "ai-blame-layout-data-"));
  const run = async (args: string[]) => {
    const r = await runCli([...args, "--json", "--home", home, "--dir", project], { cwd: project, env: { AI_BLAME_DATA_DIR: data } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return r.stdout.split(home).join("HOME");
  };
  out["stats"] = await run(["stats"]);
  out["timeline"] = await run(["timeline"]);
  for (const file of files) out[`blame ${file}`] = await run(["blame", file]);
  rmSync(data, { recursive: true, force: true });
  return out;
}

describe.skipIf(!hasPython)("trace layouts", () => {
  let ex: ExampleHome;
  let scratch: string;
  let bench: { home: string; project: string; hotFileRelative: string };
  beforeAll(async () => {
    ex = await createExampleHome();
    scratch = mkdtempSync(join(tmpdir(), "ai-blame-layouts-"));
    const generator = (await import(pathToFileURL(join(repoRoot, "bench", "generate.mjs")).href)) as {
      generate(o: { size: number; out: string; seed?: number }): { home: string; project: string; hotFileRelative: string };
    };
    bench = generator.generate({ size: 1024 * 1024, out: join(scratch, "bench"), seed: 7 });
  }, 120_000);
  afterAll(() => {
    ex?.cleanup();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("the rewriter really changes the bytes of every layout", () => {
    const original = traceFiles(ex.home).map((f) => readFileSync(f, "utf8"));
    for (const layout of LAYOUTS) {
      const copy = relaid(ex.home, layout, join(scratch, "probe"));
      const rewritten = traceFiles(copy).map((f) => readFileSync(f, "utf8"));
      expect(rewritten.length).toBe(original.length);
      expect(rewritten.some((text, i) => text !== original[i])).toBe(true);
      if (layout === "spaced") expect(rewritten.join("")).toContain('"type": "tool_use"');
      if (layout === "ascii") expect(rewritten.join("")).toMatch(/\\u[0-9a-f]{4}/);
    }
  });

  it("the example: same stats, timeline and blame of every file in every layout", async () => {
    const files = readdirSync(ex.project, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(ex.project, join(e.parentPath, e.name)))
      .sort();
    const expected = await outputs(ex.home, ex.project, files);
    // Every edit of the example is found in the original layout (examples/expected.json lists them).
    const exampleEvents = (JSON.parse(readFileSync(join(repoRoot, "examples", "expected.json"), "utf8")) as { events: unknown[] }).events;
    expect(JSON.parse(expected["stats"] as string).events).toBe(exampleEvents.length);
    // Every agent of the example (Claude, Codex, Gemini, opencode: JSONL logs and whole JSON files) has edits in it.
    expect(Object.keys(JSON.parse(expected["stats"] as string).byAgent).length).toBeGreaterThanOrEqual(4);
    for (const layout of LAYOUTS) {
      const home = relaid(ex.home, layout, join(scratch, "example"));
      expect(await outputs(home, ex.project, files), layout).toEqual(expected);
    }
  }, 120_000);

  it("the generated benchmark corpus: same stats, timeline and blame in every layout", async () => {
    const timeline = JSON.parse(
      (await runCli(["timeline", "--json", "--home", bench.home, "--dir", bench.project], { cwd: bench.project })).stdout,
    ) as Array<{ file: string }>;
    const files = [...new Set([bench.hotFileRelative, ...timeline.map((e) => e.file)])].slice(0, 8);
    const expected = await outputs(bench.home, bench.project, files);
    expect(JSON.parse(expected["stats"] as string).events).toBeGreaterThan(5);
    for (const layout of LAYOUTS) {
      const home = relaid(bench.home, layout, join(scratch, "bench-layouts"));
      expect(await outputs(home, bench.project, files), layout).toEqual(expected);
    }
  }, 240_000);
});
