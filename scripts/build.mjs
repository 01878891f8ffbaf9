// @ts-check
// The one esbuild script: bundles the CLI (its core and the launcher that runs it with V8's code cache), the LSP
// server and the VS Code client into single files with no runtime node_modules. Usage: node scripts/build.mjs [cli|server|client ...] [--watch] [--production] [--no-parse-workers]
// The CLI and the server embed the trace-parse worker, so a cold index of many files parses on the other cores while the
// main thread applies their output (bench/README.md, "Parallel parsing", has the measurements); --no-parse-workers
// leaves it out (every index then parses on its main thread).
import { isAscii } from "node:buffer";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { lazyModules } from "./lazy-modules.mjs";
import { materializeExample } from "./materialize-example.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const args = process.argv.slice(2);
const watch = args.includes("--watch");
const production = args.includes("--production");
const parseWorkers = !args.includes("--no-parse-workers");

/** Each target: entry, output, size budget (bytes, unminified). */
const targets = {
  // The CLI is two files: ai-blame-core.js (the whole CLI, runnable on its own: what the single-executable build and
  // the wheels embed) and ai-blame.js, the small launcher Node runs, which runs the core with V8's code cache (a
  // first one made by this build: shipCodeCache below).
  cli: { entry: "cli/src/main.ts", outfile: "cli/dist/ai-blame-core.js", banner: "#!/usr/bin/env node", budget: 3_000_000, external: [] },
  launcher: { entry: "cli/src/launch.ts", outfile: "cli/dist/ai-blame.js", banner: "#!/usr/bin/env node", budget: 40_000, external: [] },
  server: { entry: "server/src/main.ts", outfile: "server/dist/server.js", banner: "", budget: 2_500_000, external: [] },
  client: { entry: "client-vscode/src/extension.ts", outfile: "client-vscode/dist/extension.js", banner: "", budget: 1_000_000, external: ["vscode"] },
};

/**
 * What the CLI's core loads on first use instead of at start (scripts/lazy-modules.mjs): modules a warm `stats` or
 * `blame` never or seldom needs, each ~0.2-2 ms of every start: git and the pager's child processes (commander
 * requires child_process too), hashes (crypto), the parse workers, V8's heap flags and GC observer, annotate's
 * YAML, zstd traces, patches and globs, and fs/promises (~0.7 ms: discovery reads synchronously, a compressed trace
 * and transcript search still use it).
 */
const CLI_LAZY_MODULES = ["node:child_process", "node:crypto", "node:worker_threads", "node:v8", "node:perf_hooks", "node:timers/promises", "yaml", "fzstd", "diff", "picomatch", "node:fs/promises"];

const wanted = args.filter((a) => !a.startsWith("--"));
// `cli` is both of its files: the launcher is never built without the core it runs.
const names = wanted.length > 0 ? wanted.flatMap((n) => (n === "cli" ? ["cli", "launcher"] : [n])) : Object.keys(targets);
for (const name of names) {
  if (!(name in targets)) {
    console.error(`build: unknown target '${name}' (expected ${Object.keys(targets).join(", ")})`);
    process.exit(2);
  }
}

/** The parse worker as one minified CommonJS string, for `new Worker(source, { eval: true })` (works in a SEA too). */
async function parseWorkerSource() {
  const result = await esbuild.build({
    absWorkingDir: root, entryPoints: ["shared/src/store/parse-worker.ts"], bundle: true, platform: "node",
    format: "cjs", target: "node20", minify: true, write: false, logLevel: "warning", legalComments: "none",
  });
  return result.outputFiles[0]?.text ?? "";
}
const workerDefine = parseWorkers ? { __AI_BLAME_PARSE_WORKER__: JSON.stringify(await parseWorkerSource()) } : {};

/**
 * Keeps a bundle pure ASCII. esbuild escapes every other character in strings, template literals, regular expressions
 * and identifiers, but an unminified build keeps some comments as written, and one "→" in a comment makes V8 hold the
 * whole source as two-byte text: 3.7 MB instead of 1.9 MB of the CLI's heap, for as long as the process runs; the
 * launcher also reads an ASCII core as latin1 (~1 ms) where UTF-8 decoding took 3-13 ms of every start. So what is
 * left (comment text only) is written as \u escapes too, which read the same to a person.
 * @param {string} file
 */
function keepAscii(file) {
  const bytes = readFileSync(file);
  if (isAscii(bytes)) return;
  const escape = (/** @type {string} */ c) => {
    const code = /** @type {number} */ (c.codePointAt(0));
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  };
  writeFileSync(file, bytes.toString("utf8").replace(/[^\x00-\x7f]/gu, escape));
}

/** @type {import('esbuild').Plugin} */
const asciiOutput = {
  name: "ascii-output",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length === 0 && build.initialOptions.outfile) keepAscii(join(root, build.initialOptions.outfile));
    });
  },
};

/** @type {import('esbuild').Plugin} */
const copyServerForTheExtension = {
  name: "copy-server-for-the-extension",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      mkdirSync(join(root, "client-vscode/dist"), { recursive: true });
      copyFileSync(join(root, targets.server.outfile), join(root, "client-vscode/dist/server.js"));
    });
  },
};

async function buildTarget(/** @type {keyof typeof targets} */ name) {
  const t = targets[name];
  try {
    statSync(join(root, t.entry));
  } catch {
    console.error(`build: ${name}: ${t.entry} does not exist yet, skipped`);
    return;
  }
  /** @type {import('esbuild').BuildOptions} */
  const options = {
    absWorkingDir: root,
    entryPoints: [t.entry],
    outfile: t.outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: t.external,
    define: { __AI_BLAME_VERSION__: JSON.stringify(version), ...(name === "client" ? {} : workerDefine) },
    banner: t.banner ? { js: t.banner } : undefined,
    minify: production,
    sourcemap: production ? false : "linked",
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
    plugins: name === "cli" ? [lazyModules(root, CLI_LAZY_MODULES), asciiOutput] : [asciiOutput],
  };
  if (watch) {
    // The extension starts client-vscode/dist/server.js: a rebuilt server goes there too, as a full build copies it.
    if (name === "server") options.plugins = [asciiOutput, copyServerForTheExtension];
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.error(`build: watching ${name}`);
    return;
  }
  await esbuild.build(options);
  const size = statSync(join(root, t.outfile)).size;
  console.error(`build: ${t.outfile} ${(size / 1024).toFixed(0)} KiB`);
  if (size > t.budget) {
    console.error(`build: ${t.outfile} is over its budget of ${(t.budget / 1024).toFixed(0)} KiB`);
    process.exit(1);
  }
}

for (const name of names) await buildTarget(/** @type {keyof typeof targets} */ (name));

/**
 * The code cache shipped beside the launcher (cli/dist/code-cache/, see cli/src/launch.ts): the cache a first `stats`
 * and `blame` of the bundled example leave in a scratch data folder, made by this Node with no flags, so that a first
 * index run the same way starts with its functions compiled instead of compiling the 1.9 MB bundle. A run on
 * another Node version or with other flags finds no file of its name there and compiles as before.
 */
function shipCodeCache() {
  const shippedDir = join(root, "cli/dist/code-cache");
  rmSync(shippedDir, { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), "ai-blame-build-"));
  try {
    const { home, project } = materializeExample(join(scratch, "example"));
    const data = join(scratch, "data");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, AI_BLAME_DATA_DIR: data, NO_COLOR: "1" };
    for (const args of [["stats", "--json"], ["blame", "tasklog/cli.py"]]) {
      execFileSync(process.execPath, [join(root, targets.launcher.outfile), ...args, "--home", home, "--dir", project], { cwd: project, env, stdio: "ignore" });
    }
    const made = readdirSync(join(data, "code-cache")).filter((name) => name.endsWith(".bin"));
    if (made.length !== 1) throw new Error(`expected one cache, found ${made.length}`);
    // Both runs must have written it (a run that changed V8's flags writes none): the first index is what it is for.
    const bytes = readFileSync(join(data, "code-cache", made[0] ?? ""));
    const commands = JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))).commands;
    if (JSON.stringify(commands) !== '["stats","blame"]') throw new Error(`the cache covers ${JSON.stringify(commands)}, not stats and blame`);
    mkdirSync(shippedDir, { recursive: true });
    copyFileSync(join(data, "code-cache", made[0] ?? ""), join(shippedDir, made[0] ?? ""));
    const size = statSync(join(shippedDir, made[0] ?? "")).size;
    console.error(`build: cli/dist/code-cache/${made[0]} ${(size / 1024).toFixed(0)} KiB`);
  } catch (error) {
    console.error(`build: no code cache shipped: ${/** @type {Error} */ (error).message.split("\n")[0]}`);
    process.exit(1);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (names.includes("launcher") && !watch) shipCodeCache();

// The VS Code extension ships both bundles side by side in client-vscode/dist/ (the client starts ./server.js).
if (names.includes("client") && !watch) {
  try {
    mkdirSync(join(root, "client-vscode/dist"), { recursive: true });
    copyFileSync(join(root, targets.server.outfile), join(root, "client-vscode/dist/server.js"));
  } catch {
    console.error("build: server bundle missing; build the server target before the client");
    process.exit(1);
  }
}
