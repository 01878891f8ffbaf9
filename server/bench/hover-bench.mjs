// @ts-check
// Measures the LSP server over stdio on one file, as an editor would use it: time to the end of the first index,
// codeLens on a fresh document version (blame included) and on a cached one, resolve of every lens, and hover
// latency percentiles over many lines. Prints one JSON object on stdout (used by `npm run bench`).
//
// Usage: node server/bench/hover-bench.mjs (--manifest DIR/manifest.json | --home H --project P --file F)
//          [--data-dir D] [--hovers 1000] [--versions 10] [--cpu-prof DIR (profile the server)]
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import rpc from "vscode-languageserver-protocol/node";

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = rpc;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const server = join(root, "server/dist/server.js");

function parseArgs(argv) {
  const args = new Map();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i] ?? "";
    if (!key.startsWith("--")) fail(`unexpected argument ${key}`);
    args.set(key.slice(2), argv[i + 1] ?? "");
    i++;
  }
  return args;
}

function fail(message) {
  process.stderr.write(`hover-bench: ${message}\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
let home = args.get("home");
let project = args.get("project");
let file = args.get("file");
if (args.has("manifest")) {
  const manifestPath = resolve(args.get("manifest") ?? "");
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    fail(`cannot read manifest ${manifestPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const base = dirname(manifestPath);
  const abs = (p) => (isAbsolute(p) ? p : join(base, p));
  home = abs(manifest.home);
  project = abs(manifest.project);
  file = abs(isAbsolute(manifest.hotFile) ? manifest.hotFile : join(project, manifest.hotFile));
}
if (!home || !project || !file) fail("give --manifest or --home, --project and --file");
for (const [what, path] of [["home", home], ["project", project], ["file", file], ["server bundle (node scripts/build.mjs server)", server]]) {
  if (!existsSync(path)) fail(`${what} not found: ${path}`);
}
const hovers = Number(args.get("hovers") ?? 1000);
const versions = Number(args.get("versions") ?? 10);
const ownDataDir = !args.has("data-dir");
const dataDir = args.get("data-dir") ?? mkdtempSync(join(tmpdir(), "ai-blame-bench-"));

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round = (ms) => Math.round(ms * 100) / 100;

const profile = args.has("cpu-prof") ? ["--cpu-prof", `--cpu-prof-dir=${resolve(args.get("cpu-prof") ?? ".")}`] : [];
const child = spawn(process.execPath, [...profile, server, "--stdio"], {
  env: { ...process.env, HOME: home, AI_BLAME_DATA_DIR: dataDir },
  stdio: ["pipe", "pipe", "inherit"],
});
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let indexed;
const indexDone = new Promise((done) => (indexed = done));
connection.onNotification("$/progress", (p) => {
  if (p?.value?.kind === "end") indexed();
});
connection.onRequest(() => null);
connection.listen();

const started = performance.now();
const projectUri = pathToFileURL(project).href;
await connection.sendRequest("initialize", {
  processId: process.pid,
  rootUri: projectUri,
  workspaceFolders: [{ uri: projectUri, name: "bench" }],
  capabilities: { window: { workDoneProgress: true }, textDocument: { hover: { contentFormat: ["markdown"] } } },
});
await connection.sendNotification("initialized", {});
await indexDone;
const indexMs = performance.now() - started;
const rssAfterIndexMb = rssMb("VmRSS");

const text = readFileSync(file, "utf8");
const lineCount = text.split("\n").length;
const uri = pathToFileURL(file).href;
await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "plaintext", version: 1, text } });

/** The server's resident memory from /proc (Linux); null elsewhere. `VmHWM` is the peak so far. */
function rssMb(field) {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const time = async (run) => {
  const t0 = performance.now();
  const result = await run();
  return [performance.now() - t0, result];
};

const [firstLensMs, lenses] = await time(() => connection.sendRequest("textDocument/codeLens", { textDocument: { uri } }));
const [cachedLensMs] = await time(() => connection.sendRequest("textDocument/codeLens", { textDocument: { uri } }));
const [resolveAllMs] = await time(() => Promise.all((lenses ?? []).map((lens) => connection.sendRequest("codeLens/resolve", lens))));

// Each new buffer version is blamed afresh: the cost an editor pays after every keystroke pause.
const versionLensMs = [];
for (let v = 2; v < 2 + versions; v++) {
  const changed = `${text}\n// edit ${v}`;
  await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text: changed }] });
  const [ms] = await time(() => connection.sendRequest("textDocument/codeLens", { textDocument: { uri } }));
  versionLensMs.push(ms);
}

const hoverMs = [];
let attributed = 0;
for (let i = 0; i < hovers; i++) {
  const line = Math.floor(((i * 7919) % lineCount) + 0);
  const [ms, hover] = await time(() => connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line, character: 0 } }));
  hoverMs.push(ms);
  if (hover && String(hover.contents?.value ?? "").startsWith("**✦")) attributed++;
}

const peakRssMb = rssMb("VmHWM");
const rssEndMb = rssMb("VmRSS");

await connection.sendRequest("shutdown");
await connection.sendNotification("exit");
await new Promise((done) => child.on("exit", done));
connection.dispose();
if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });

process.stdout.write(
  `${JSON.stringify(
    {
      file,
      lines: lineCount,
      lenses: (lenses ?? []).length,
      indexMs: round(indexMs),
      codeLensFirstMs: round(firstLensMs),
      codeLensCachedMs: round(cachedLensMs),
      codeLensNewVersionP50Ms: round(percentile(versionLensMs, 50)),
      codeLensNewVersionMaxMs: round(Math.max(...versionLensMs)),
      resolveAllMs: round(resolveAllMs),
      hovers,
      hoversAttributed: attributed,
      hoverP50Ms: round(percentile(hoverMs, 50)),
      hoverP90Ms: round(percentile(hoverMs, 90)),
      hoverP99Ms: round(percentile(hoverMs, 99)),
      hoverMaxMs: round(Math.max(...hoverMs)),
      rssAfterIndexMb,
      rssEndMb,
      peakRssMb,
    },
    null,
    2,
  )}\n`,
);
