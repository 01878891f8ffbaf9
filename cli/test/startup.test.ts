// What a command loads of Node at start (scripts/lazy-modules.mjs, the build's CLI_LAZY_MODULES): `--version` and a
// warm `stats` or `blame` of an indexed project run without the built-ins only other work needs (child processes,
// parse workers, V8's heap flags and GC observer, fs/promises; hashes too for `--version`), each of which cost every
// command ~0.2-2 ms of its start when the bundle loaded them all up front; a command that needs one still gets it.
// And what a first index and a first blame load comes from Node's own code cache: V8 rejects it for a module compiled
// after the engine changed a V8 flag (util/young-generation.ts), which then compiles from its source.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { cliPath, type RunResult, runNode, tempDir } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

/** A preload that prints, at exit, the public built-ins the process loaded (Node's own start loads none of these). */
function loadedModulesReporter(): string {
  const file = join(tempDir("ai-blame-preload-"), "report-modules.js");
  writeFileSync(
    file,
    `process.on("exit", () => process.stderr.write("loaded: " + process.moduleLoadList.filter((m) => m.startsWith("NativeModule ") && !m.includes("internal/")).map((m) => m.slice(13)).join(" ") + "\\n"));\n`,
  );
  return file;
}

const loadedBy = (stderr: string): string[] => (stderr.split("\n").find((l) => l.startsWith("loaded: ")) ?? "loaded: ").slice(8).split(" ");

/**
 * A preload that prints, at exit, the built-in modules Node compiled from their source instead of its code cache
 * (Node's internal count, reachable with --expose-internals only).
 */
function uncachedModulesReporter(): string {
  const file = join(tempDir("ai-blame-preload-"), "report-uncached.js");
  writeFileSync(
    file,
    `process.on("exit", () => { const { internalBinding } = require("internal/test/binding"); process.stderr.write("uncached: " + [...internalBinding("builtins").getCacheUsage().compiledWithoutCache].join(" ") + "\\n"); });\n`,
  );
  return file;
}

/** Runs the built CLI under `nodeArgs` in the project, with its home and data folder. */
function runWithNodeArgs(nodeArgs: string[], args: string[], p: { project: string; home: string; data: string }): Promise<RunResult> {
  const env = { PATH: process.env["PATH"], NO_COLOR: "1", HOME: p.home, AI_BLAME_DATA_DIR: p.data };
  return runNode([...nodeArgs, cliPath, ...args], { cwd: p.project, env });
}

const LOADED_ON_USE = ["child_process", "worker_threads", "v8", "perf_hooks"];
// Discovery reads synchronously: a warm command does not load fs/promises either (a first index may).

describe("start-up", () => {
  it("loads no child process, worker, V8 or hash module for --version, nor one of the first three for a warm stats or blame", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("make app.py").write(p.path("app.py"), "print('a')\nprint('b')\n").save(p.home);
    p.file("app.py", "print('a')\nprint('b')\n");
    const env = { NODE_OPTIONS: `--require ${loadedModulesReporter()}` };
    const version = await p.run(["--version"], { env });
    expect(version.code).toBe(0);
    const atVersion = loadedBy(version.stderr);
    // The reporter sees the launcher's own modules: it works.
    expect(atVersion).toContain("vm");
    for (const name of [...LOADED_ON_USE, "crypto"]) expect(atVersion).not.toContain(name);

    // The first stats indexes and the first blame replays the file's history (either may use any of them); the next
    // ones read what those kept.
    const first = await p.run(["stats", "--json"], { env });
    expect(JSON.parse(first.stdout).events).toBe(1);
    expect((await p.run(["blame", "app.py"], { env })).code).toBe(0);
    for (const args of [["stats", "--json"], ["blame", "app.py"]]) {
      const warm = await p.run(args, { env });
      expect(warm.code).toBe(0);
      const loaded = loadedBy(warm.stderr);
      // Node's own zlib, which the launcher loads: the reporter sees built-ins.
      expect(loaded).toContain("zlib");
      for (const name of [...LOADED_ON_USE, "fs/promises"]) expect(loaded).not.toContain(name);
    }
  });

  it("loads child_process when a command runs git, and its output is git's", async () => {
    const p = makeProject();
    const env = { NODE_OPTIONS: `--require ${loadedModulesReporter()}` };
    // Outside a git repository `log` asks git and reports that it is not one.
    const log = await p.run(["log"], { env });
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/^ai-blame: error: .*git/m);
    expect(loadedBy(log.stderr)).toContain("child_process");
  });

  it("compiles the built-ins a first index and a first blame load from Node's code cache, though both set V8 flags", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("make app.py").write(p.path("app.py"), "print('a')\nprint('b')\n").save(p.home);
    p.file("app.py", "print('a')\nprint('b')\n");
    const nodeArgs = ["--no-warnings", "--expose-internals", "--require", uncachedModulesReporter(), "--require", loadedModulesReporter()];
    const uncached = (stderr: string): string => stderr.split("\n").find((l) => l.startsWith("uncached: ")) ?? "no report";
    // The first index bounds the heap (V8 flags) and watches scavenges (perf_hooks); the first blame replays the
    // file's history under the same bounds and with V8's bytecode flushing off (one more flag).
    for (const args of [["stats", "--json"], ["blame", "app.py"]]) {
      const run = await runWithNodeArgs(nodeArgs, args, p);
      expect(run.code).toBe(0);
      expect(loadedBy(run.stderr)).toContain("perf_hooks");
      expect(uncached(run.stderr)).toBe("uncached: ");
    }
  });
});
