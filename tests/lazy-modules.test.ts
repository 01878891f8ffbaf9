// The build's lazy-module plugin (scripts/lazy-modules.mjs) on a bundle of its own: a module in its list is not
// loaded when the bundle starts, and its exports behave as the real ones once used — a function called with its
// `this`, a class constructed with `new`, a table of constants read, a package that is a function called — for Node
// built-ins and for bundled packages.

import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-lazy-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Plugin = (root: string, modules: readonly string[]) => esbuild.Plugin;

/** Bundles `source` as the CLI is bundled, with `lazy` loaded on first use, runs it and returns its stdout lines. */
async function runBundled(source: string, lazy: readonly string[]): Promise<string[]> {
  const { lazyModules } = (await import(pathToFileURL(join(root, "scripts", "lazy-modules.mjs")).href)) as { lazyModules: Plugin };
  const entry = join(scratch, `entry-${lazy.length}.ts`);
  writeFileSync(entry, source);
  const outfile = join(scratch, `bundle-${lazy.length}.js`);
  await esbuild.build({
    absWorkingDir: root, entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", target: "node20",
    nodePaths: [join(root, "node_modules")], logLevel: "error", plugins: [lazyModules(root, lazy)],
  });
  const run = spawnSync(process.execPath, [outfile], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout.trim().split("\n");
}

const source = `
import { createHash } from "node:crypto";
import { constants } from "node:perf_hooks";
import { LineCounter, parseDocument } from "yaml";
import picomatch from "picomatch";
const loaded = (name: string) => process.moduleLoadList.includes("NativeModule " + name);
console.log("crypto at start: " + loaded("crypto"));
console.log("perf_hooks at start: " + loaded("perf_hooks"));
console.log("sha1: " + createHash("sha1").update("ai-blame").digest("hex"));
console.log("crypto after use: " + loaded("crypto"));
console.log("gc minor: " + constants.NODE_PERFORMANCE_GC_MINOR);
const counter = new LineCounter();
const doc = parseDocument("a: 1\\nb: [2, 3]\\n", { lineCounter: counter });
console.log("yaml: " + JSON.stringify(doc.toJS()) + " lines " + counter.lineStarts.length + " " + (counter instanceof Object));
const hash = createHash("sha1");
console.log("this kept: " + (hash.update("a") === hash));
const isTs = picomatch("**/*.ts");
console.log("glob: " + isTs("src/a.ts") + " " + isTs("src/a.js"));
`;

describe("lazy modules", () => {
  it("loads a listed built-in on first use, and its functions, classes and constants work as the real ones", async () => {
    const lines = await runBundled(source, ["node:crypto", "node:perf_hooks", "yaml", "picomatch"]);
    const { createHash } = await import("node:crypto");
    const { constants } = await import("node:perf_hooks");
    expect(lines).toEqual([
      "crypto at start: false",
      "perf_hooks at start: false",
      `sha1: ${createHash("sha1").update("ai-blame").digest("hex")}`,
      "crypto after use: true",
      `gc minor: ${constants.NODE_PERFORMANCE_GC_MINOR}`,
      'yaml: {"a":1,"b":[2,3]} lines 3 true',
      "this kept: true",
      "glob: true false",
    ]);
  });

  it("leaves a module out of the list loaded at start, as before", async () => {
    const lines = await runBundled(source, []);
    expect(lines.slice(0, 2)).toEqual(["crypto at start: true", "perf_hooks at start: true"]);
    expect(lines.slice(2)).toEqual((await runBundled(source, ["node:crypto", "node:perf_hooks", "yaml", "picomatch"])).slice(2));
  });
});
