// The launcher's V8 code cache (cli/src/launch.ts) through the built CLI: a run writes it into the data folder, the
// next run of the same command uses it and leaves it alone, a new command adds itself; a rebuilt bundle of the same
// length never runs on the old cache; a corrupt or truncated cache file is ignored and replaced; a data folder where
// it cannot be written changes nothing of the output; a run that changed V8's flags writes none (V8 would reject it);
// --no-cache and AI_BLAME_NO_CACHE leave it alone. The cache the build ships beside the launcher serves a first run
// (its commands write nothing) unless it is damaged or made for other Node flags.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExampleHome } from "../../tests/support/example-home";
import { makeProject } from "./support/project";
import { cliPath, repoRoot, type RunResult, runNode, tempDir } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

const coreName = "ai-blame-core.js";

/** Runs `node <launcher> args` with only the variables given (plus PATH). */
function runLauncher(launcher: string, args: string[], env: Record<string, string>, cwd = repoRoot): Promise<RunResult> {
  return runNode([launcher, ...args], { cwd, env: { PATH: process.env["PATH"], NO_COLOR: "1", ...env } });
}

/** The cache files in a data folder, by name (not the links that find them by the bundle's identity). */
function cacheFiles(data: string): string[] {
  const dir = join(data, "code-cache");
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith(".link")).sort() : [];
}

/** The links in a data folder's cache folder, each with the file it points to. */
function links(data: string): Array<[string, string]> {
  const dir = join(data, "code-cache");
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".link")).map((name) => [name, readlinkSync(join(dir, name))]) : [];
}

/** Waits until `file` was last written (or changed) more than 2 s ago: the launcher links only such a bundle. */
async function settle(file: string): Promise<void> {
  const stat = statSync(file);
  const wait = Math.max(stat.mtimeMs, stat.ctimeMs) + 2100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function header(data: string, name: string): { commands: string[] } {
  const bytes = readFileSync(join(data, "code-cache", name));
  return JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))) as { commands: string[] };
}

const debugLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("ai-blame: debug: code cache"));

/** A copy of the built launcher and core without the cache the build ships: a data folder's cache on its own. */
function bareDist(): string {
  const dist = tempDir("ai-blame-dist-");
  copyFileSync(cliPath, join(dist, "ai-blame.js"));
  copyFileSync(join(repoRoot, "cli", "dist", coreName), join(dist, coreName));
  return join(dist, "ai-blame.js");
}

describe("code cache", () => {
  it("is written by a first run, used by the next, and extended by a new command", async () => {
    const launcher = bareDist();
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    const first = await runLauncher(launcher, ["--version"], env);
    expect(first.code).toBe(0);
    expect(debugLines(first.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: written for (none)"]);
    const [name] = cacheFiles(env.AI_BLAME_DATA_DIR);
    expect(name).toMatch(/^[0-9a-f]{16}-[0-9a-f]{12}\.bin$/);
    const written = readFileSync(join(env.AI_BLAME_DATA_DIR, "code-cache", name ?? ""));

    const second = await runLauncher(launcher, ["--version"], env);
    expect(second.stdout).toBe(first.stdout);
    expect(debugLines(second.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
    expect(readFileSync(join(env.AI_BLAME_DATA_DIR, "code-cache", name ?? "")).equals(written)).toBe(true);

    const help = await runLauncher(launcher, ["help", "blame"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ai-blame blame");
    expect(debugLines(help.stderr)).toEqual(["ai-blame: debug: code cache: used", "ai-blame: debug: code cache: written for (none), help"]);
    expect(cacheFiles(env.AI_BLAME_DATA_DIR)).toEqual([name]);
    expect(header(env.AI_BLAME_DATA_DIR, name ?? "").commands).toEqual(["", "help"]);
  });

  it("keeps only the current bundle's caches, the four most recently written (one per set of Node flags)", async () => {
    const launcher = bareDist();
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-") };
    await runLauncher(launcher, ["--version"], env);
    const [name] = cacheFiles(env.AI_BLAME_DATA_DIR);
    const build = (name ?? "").split("-")[0] ?? "";
    const dir = join(env.AI_BLAME_DATA_DIR, "code-cache");
    // Caches of this bundle under five other flag sets, oldest first, and one of another build.
    const flagSets = ["a", "b", "c", "d", "e"].map((c) => `${build}-${c.repeat(12)}.bin`);
    flagSets.forEach((other, i) => {
      writeFileSync(join(dir, other), "flags\n");
      utimesSync(join(dir, other), 1_000_000 + i * 1000, 1_000_000 + i * 1000);
    });
    writeFileSync(join(dir, "0123456789abcdef-000000000000.bin"), "old build\n");
    writeFileSync(join(dir, "notes.txt"), "not a cache\n");
    const run = await runLauncher(launcher, ["help", "stats"], env);
    expect(run.code).toBe(0);
    expect(cacheFiles(env.AI_BLAME_DATA_DIR)).toEqual([name, ...flagSets.slice(2), "notes.txt"].sort());
  });

  it("never runs a rebuilt bundle on the old bundle's cache, even at the same length", async () => {
    const dist = dirname(bareDist());
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    const before = await runLauncher(join(dist, "ai-blame.js"), ["--help"], env);
    expect(before.stdout).toContain("print the version");
    const [oldName] = cacheFiles(env.AI_BLAME_DATA_DIR);

    // V8 itself compares only the source length: a same-length edit is what a stale cache would get wrong.
    const core = readFileSync(join(dist, coreName), "utf8");
    expect(core).toContain('"print the version"');
    // ASCII, as every production build is (a development build keeps a few non-ASCII comments): the launcher reads
    // such a bundle as latin1.
    const edited = core.replace('"print the version"', '"print THE version"').replace(/[^\x00-\x7f]/g, "?");
    expect(Buffer.byteLength(edited)).toBe(edited.length);
    writeFileSync(join(dist, coreName), edited);
    const after = await runLauncher(join(dist, "ai-blame.js"), ["--help"], env);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("print THE version");
    expect(after.stdout).not.toContain("print the version");
    expect(debugLines(after.stderr)[0]).toBe("ai-blame: debug: code cache: none");
    const names = cacheFiles(env.AI_BLAME_DATA_DIR);
    expect(names).toHaveLength(1);
    expect(names[0]).not.toBe(oldName);
  });

  it("finds a settled bundle's cache by a link named after the bundle file's identity; a bundle written since finds none", async () => {
    const dist = dirname(bareDist());
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    await settle(join(dist, coreName));
    const first = await runLauncher(join(dist, "ai-blame.js"), ["--help"], env);
    expect(first.stdout).toContain("print the version");
    const [name] = cacheFiles(env.AI_BLAME_DATA_DIR);
    expect(links(env.AI_BLAME_DATA_DIR)).toEqual([[expect.stringMatching(/^[0-9a-f]{16}-[0-9a-f]{12}\.link$/), name]]);
    const [[link]] = links(env.AI_BLAME_DATA_DIR) as [[string, string]];

    // Moved where only the link leads (the checksum's name is empty now), the cache is still found.
    const dir = join(env.AI_BLAME_DATA_DIR, "code-cache");
    renameSync(join(dir, name ?? ""), join(dir, "moved.bin"));
    unlinkSync(join(dir, link));
    symlinkSync("moved.bin", join(dir, link));
    const second = await runLauncher(join(dist, "ai-blame.js"), ["--help"], env);
    expect(second.stdout).toBe(first.stdout);
    expect(debugLines(second.stderr)).toEqual(["ai-blame: debug: code cache: used"]);

    // Rewritten in place at the same length, the bundle has another identity: the link is not followed.
    const edited = readFileSync(join(dist, coreName), "utf8").replace('"print the version"', '"print THE version"').replace(/[^\x00-\x7f]/g, "?");
    writeFileSync(join(dist, coreName), edited);
    const after = await runLauncher(join(dist, "ai-blame.js"), ["--help"], env);
    expect(after.stdout).toContain("print THE version");
    expect(debugLines(after.stderr)[0]).toBe("ai-blame: debug: code cache: none");
  });

  it("makes no link for a bundle not written 2 s before (a rewrite in the same tick of the clock would keep its times)", async () => {
    const launcher = bareDist();
    // Times ahead of the clock (an archive from another machine) are as recent as can be, whatever the test's pace.
    const ahead = Date.now() / 1000 + 3600;
    utimesSync(join(dirname(launcher), coreName), ahead, ahead);
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    await runLauncher(launcher, ["--version"], env);
    expect(cacheFiles(env.AI_BLAME_DATA_DIR)).toHaveLength(1);
    expect(links(env.AI_BLAME_DATA_DIR)).toEqual([]);
    const again = await runLauncher(launcher, ["--version"], env);
    expect(debugLines(again.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
  });

  it("ignores a corrupt or truncated cache file and writes a good one in its place", async () => {
    const launcher = bareDist();
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    const good = await runLauncher(launcher, ["--help"], env);
    const [name] = cacheFiles(env.AI_BLAME_DATA_DIR);
    const file = join(env.AI_BLAME_DATA_DIR, "code-cache", name ?? "");
    const bytes = readFileSync(file);
    // The header stays valid; bytes of V8's data are flipped (V8 alone would not notice all of them).
    const corrupt = Buffer.from(bytes);
    for (let i = bytes.indexOf(10) + 200; i < corrupt.length; i += 97) corrupt[i] = (corrupt[i] ?? 0) ^ 0x5a;
    for (const damaged of [corrupt, bytes.subarray(0, 40), bytes.subarray(0, bytes.length - 1000), Buffer.from("not a cache\n")]) {
      writeFileSync(file, damaged);
      const run = await runLauncher(launcher, ["--help"], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(good.stdout);
      expect(debugLines(run.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: written for (none)"]);
      const again = await runLauncher(launcher, ["--help"], env);
      expect(debugLines(again.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
    }
  });

  it("is not written by a run that changed V8's flags (V8 would reject it), and is by the next plain run", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("make app.py").write(p.path("app.py"), "print('a')\nprint('b')\n").save(p.home);
    p.file("app.py", "print('a')\nprint('b')\n");
    const launcher = bareDist();
    const env = { HOME: p.home, AI_BLAME_DATA_DIR: p.data, AI_BLAME_DEBUG: "1" };
    const run = (args: string[]) => runLauncher(launcher, args, env, p.project);
    // -L with a regex turns on V8's linear-time regex engine: a flag V8 hashes into every cache made afterwards.
    const ranged = await run(["blame", "app.py", "-L", "/b/"]);
    expect(ranged.code).toBe(0);
    expect(ranged.stdout).toContain("print('b')");
    expect(debugLines(ranged.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: not written (V8 flags changed during the run)"]);
    expect(cacheFiles(p.data)).toEqual([]);
    const plain = await run(["blame", "app.py"]);
    expect(debugLines(plain.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: written for blame"]);
    const again = await run(["blame", "app.py"]);
    expect(debugLines(again.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
    expect(again.stdout).toBe(plain.stdout);
  });

  it("is written by a first index that bounded the young generation (a V8 flag, set back at exit) and used next", async () => {
    const example = await createExampleHome();
    try {
      const launcher = bareDist();
      const env = { HOME: example.home, AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
      const args = ["stats", "--json", "--home", example.home, "--dir", example.project];
      // The example's first index grows V8's new space to the bound (util/young-generation.ts), as every large one does.
      const first = await runLauncher(launcher, args, env, example.project);
      expect(first.code).toBe(0);
      expect(debugLines(first.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: written for stats"]);
      const warm = await runLauncher(launcher, args, env, example.project);
      expect(debugLines(warm.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
      expect(warm.stdout).toBe(first.stdout);
    } finally {
      example.cleanup();
    }
  });

  it("shipped with the build serves a first index, which writes nothing; the next command writes the data folder's own", async () => {
    const shipped = readdirSync(join(repoRoot, "cli", "dist", "code-cache"));
    expect(shipped).toHaveLength(1);
    expect(header(join(repoRoot, "cli", "dist"), shipped[0] ?? "").commands).toEqual(["stats", "blame"]);
    const p = makeProject();
    new ClaudeSession(p.project).prompt("make app.py").write(p.path("app.py"), "print('a')\n").save(p.home);
    p.file("app.py", "print('a')\n");
    const env = { AI_BLAME_DEBUG: "1" };
    const first = await p.run(["stats", "--json"], { env });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).events).toBe(1);
    expect(debugLines(first.stderr)).toEqual(["ai-blame: debug: code cache: used (shipped)"]);
    expect(cacheFiles(p.data)).toEqual([]);
    // The next command (the index exists now) writes the data folder's own, named as the shipped one.
    const second = await p.run(["stats", "--json"], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(debugLines(second.stderr)).toEqual(["ai-blame: debug: code cache: used (shipped)", "ai-blame: debug: code cache: written for stats"]);
    expect(cacheFiles(p.data)).toEqual(shipped);
    const timeline = await p.run(["timeline"], { env });
    expect(timeline.code).toBe(0);
    expect(debugLines(timeline.stderr)).toEqual(["ai-blame: debug: code cache: used", "ai-blame: debug: code cache: written for stats, timeline"]);
    const again = await p.run(["timeline"], { env });
    expect(debugLines(again.stderr)).toEqual(["ai-blame: debug: code cache: used"]);
    expect(again.stdout).toBe(timeline.stdout);
  });

  it("shipped with the build is ignored when damaged, and under other Node flags", async () => {
    const dist = dirname(bareDist());
    const [name] = readdirSync(join(repoRoot, "cli", "dist", "code-cache"));
    mkdirSync(join(dist, "code-cache"));
    const bytes = readFileSync(join(repoRoot, "cli", "dist", "code-cache", name ?? ""));
    const corrupt = Buffer.from(bytes);
    for (let i = bytes.indexOf(10) + 200; i < corrupt.length; i += 97) corrupt[i] = (corrupt[i] ?? 0) ^ 0x5a;
    writeFileSync(join(dist, "code-cache", name ?? ""), corrupt);
    const env = { HOME: tempDir("ai-blame-home-"), AI_BLAME_DATA_DIR: tempDir("ai-blame-data-"), AI_BLAME_DEBUG: "1" };
    const run = await runLauncher(join(dist, "ai-blame.js"), ["--version"], env);
    expect(run.code).toBe(0);
    expect(debugLines(run.stderr)).toEqual(["ai-blame: debug: code cache: none", "ai-blame: debug: code cache: written for (none)"]);
    expect(cacheFiles(env.AI_BLAME_DATA_DIR)).toEqual([name]);

    // The build's cache was made with no Node flags: a run with some looks for a cache of another name.
    const data = tempDir("ai-blame-data-");
    const flagged = await runNode(["--stack-size=900", cliPath, "--version"], { env: { PATH: process.env["PATH"], ...env, AI_BLAME_DATA_DIR: data } });
    expect(flagged.code).toBe(0);
    expect(debugLines(flagged.stderr)[0]).toBe("ai-blame: debug: code cache: none");
    expect(cacheFiles(data)).toHaveLength(1);
    expect(cacheFiles(data)).not.toEqual([name]);
  });

  it("changes nothing of a command's output where it cannot be written, and is left alone with the cache off", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("make app.py").write(p.path("app.py"), "print('a')\n").save(p.home);
    p.file("app.py", "print('a')\n");
    const reference = await p.run(["blame", "app.py"]);
    expect(reference.code).toBe(0);

    // A file where the cache folder would go: no folder can be made there, not even by root.
    const blocked = tempDir("ai-blame-data-");
    writeFileSync(join(blocked, "code-cache"), "in the way\n");
    const launcher = bareDist();
    const run = await runLauncher(launcher, ["blame", "app.py"], { HOME: p.home, AI_BLAME_DATA_DIR: blocked }, p.project);
    expect(run).toEqual(reference);
    const debugRun = await runLauncher(launcher, ["blame", "app.py"], { HOME: p.home, AI_BLAME_DATA_DIR: blocked, AI_BLAME_DEBUG: "1" }, p.project);
    expect(debugRun.stdout).toBe(reference.stdout);
    expect(debugLines(debugRun.stderr)).toEqual([
      "ai-blame: debug: code cache: none",
      expect.stringMatching(/^ai-blame: debug: code cache: not written \((ENOTDIR|EEXIST)\)$/),
    ]);

    for (const [args, env] of [
      [["blame", "app.py", "--no-cache"], {}],
      [["blame", "app.py"], { AI_BLAME_NO_CACHE: "1" }],
    ] as const) {
      const data = tempDir("ai-blame-data-");
      mkdirSync(data, { recursive: true });
      const off = await p.run([...args], { env: { ...env, AI_BLAME_DATA_DIR: data } });
      expect(off.stdout).toBe(reference.stdout);
      expect(readdirSync(data)).toEqual([]);
    }
  });
});
