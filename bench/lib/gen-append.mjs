// @ts-check
// Appends N MB of realistic records to an existing Claude or Codex trace (for the re-index benchmark): reads only
// the trace's head and tail to continue its session (ids, cwd, model, parent uuid, time), then writes reads,
// command output and prose plus exactly one new edit — a new file, also written into the project when it exists.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ClaudeTrace } from "./gen-claude.mjs";
import { CodexTrace } from "./gen-codex.mjs";
import { Project } from "./gen-project.mjs";
import { Rng, makeTextPools } from "./gen-random.mjs";

const MB = 1024 * 1024;

/** Complete JSON records found in bytes [from, to) of the file (partial first line dropped). @param {number} fd @param {number} from @param {number} to */
function recordsIn(fd, from, to) {
  const buffer = Buffer.alloc(to - from);
  let got = 0;
  while (got < buffer.length) {
    const n = readSync(fd, buffer, got, buffer.length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  const lines = buffer.subarray(0, got).toString("utf8").split("\n");
  if (from > 0) lines.shift();
  /** @type {Record<string, any>[]} */
  const out = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn or foreign line: not needed to continue the session.
    }
  }
  return out;
}

/** Up to `limit` .py/.ts files of the project on disk. @param {string} dir @param {number} limit */
function projectFiles(dir, limit) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (found.length >= limit) return;
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(join(d, e.name));
      else if (e.isFile() && /\.(py|ts)$/.test(e.name)) found.push(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

/**
 * Append about `mb` megabytes to `file`, including one new edit (a created file).
 * @param {string} file @param {number} mb @param {{seed?: number}} [options]
 * @returns {{file: string, bytes: number, records: number, events: number, createdFile: string}}
 */
/**
 * The largest command output to draw with `left` bytes to go: up to 60,000, but a quarter of what is left near the end
 * (Claude stores a command's output twice, in the tool result and in toolUseResult), so one record does not carry the
 * append ~0.1 MB past its size.
 * @param {number} left
 */
function outputRoom(left) {
  return Math.max(4_000, Math.min(60_000, Math.floor(left / 4)));
}

export function appendToTrace(file, mb, options = {}) {
  const fd = openSync(file, "r");
  let head;
  let tail;
  let size;
  try {
    size = fstatSync(fd).size;
    if (size === 0) throw new Error(`${file} is empty`);
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) throw new Error(`${file} does not end with a newline (an agent may be writing it)`);
    head = recordsIn(fd, 0, Math.min(size, 1 * MB));
    tail = recordsIn(fd, Math.max(0, size - 8 * MB), size);
    if (tail.length === 0) tail = recordsIn(fd, Math.max(0, size - 64 * MB), size);
  } finally {
    closeSync(fd);
  }
  const codex = head[0]?.type === "session_meta";
  const meta = codex ? head[0]?.payload : head.find((r) => typeof r.sessionId === "string" && typeof r.cwd === "string");
  if (!meta || typeof meta.cwd !== "string") throw new Error(`${file}: no session metadata (cwd) in its first megabyte`);
  const lastTimestamp = [...tail].reverse().find((r) => typeof r.timestamp === "string")?.timestamp;
  if (!lastTimestamp) throw new Error(`${file}: no timestamped record near its end`);

  // Seeded by (seed, file, size): appending twice, or to two traces, never repeats records or file names.
  let mix = options.seed ?? 7;
  for (const ch of `${file}:${size}`) mix = (Math.imul(mix, 31) + ch.charCodeAt(0)) | 0;
  const rng = new Rng(mix >>> 0);
  const pools = makeTextPools(rng);
  const project = new Project(rng);
  const cwd = /** @type {string} */ (meta.cwd);
  const onDisk = existsSync(cwd);
  for (const path of onDisk ? projectFiles(cwd, 60) : []) {
    const lines = readFileSync(path, "utf8").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    project.add(relative(cwd, path).split("\\").join("/"), lines, "human");
  }
  while (project.files.size < 10) {
    const path = project.newPath();
    project.add(path, project.codeBlock(path.endsWith(".py") ? "py" : "ts", rng.int(50, 300)), "human");
  }
  const clock = { ms: Date.parse(lastTimestamp) + 60_000 };
  const stats = { events: 0, editRecords: 0, files: 0, bytes: 0 };
  const target = mb * MB;
  let newFile = `bench-append/${rng.word()}_${rng.hex(8)}.py`;
  while (project.files.has(newFile) || (onDisk && existsSync(join(cwd, newFile)))) newFile = `bench-append/${rng.word()}_${rng.hex(8)}.py`;
  const pick = () => /** @type {string} */ (project.pickPath((p) => p !== newFile));
  let records = 0;

  if (codex) {
    const lastTurn = [...tail].reverse().find((r) => r.type === "turn_context");
    const c = new CodexTrace({ rng, pools, clock, project, sessionsDir: "", cwd, cliVersion: meta.cli_version ?? "0.63.0", stats, appendTo: file });
    c.turn(lastTurn?.payload?.model ?? "gpt-5.1-codex", pools.prose(rng.int(60, 400)));
    let edited = false;
    while (c.writer.bytes < target || !edited) {
      if (!edited && c.writer.bytes >= target / 2) {
        c.add(newFile, rng.int(20, 80));
        edited = true;
      } else if (rng.chance(0.5)) c.showFile(pick());
      // biome-ignore lint/suspicious/noDuplicateElseIf: each rng.chance call draws a new number
      else if (rng.chance(0.5)) c.logCommand(rng.int(4_000, outputRoom(target - c.writer.bytes)));
      else c.reason(rng.int(1_000, 6_000));
    }
    c.say(rng.int(100, 800));
    c.close();
    records = c.writer.records;
  } else {
    const lastUuid = [...tail].reverse().find((r) => typeof r.uuid === "string")?.uuid ?? null;
    const lastModel = [...tail].reverse().find((r) => r.type === "assistant" && typeof r.message?.model === "string")?.message.model;
    const slug = [...tail].reverse().find((r) => typeof r.slug === "string")?.slug ?? null;
    const s = new ClaudeTrace({
      rng, pools, clock, project, path: file, sessionId: meta.sessionId, cwd, version: meta.version ?? "2.0.76",
      model: lastModel ?? "claude-sonnet-4-5-20250929", agentId: typeof meta.agentId === "string" ? meta.agentId : null, stats,
      append: { last: lastUuid, slug },
    });
    s.prompt(pools.prose(rng.int(60, 600)));
    let edited = false;
    while (s.writer.bytes < target || !edited) {
      if (!edited && s.writer.bytes >= target / 2) {
        s.tools([s.create(newFile, rng.int(20, 80))]);
        edited = true;
      } else if (rng.chance(0.45)) s.tools([s.read(pick())]);
      else if (rng.chance(0.5)) s.tools([s.bash(rng.int(4_000, outputRoom(target - s.writer.bytes)))]);
      else s.say(rng.int(200, 2_000), rng.int(500, 6_000));
    }
    s.say(rng.int(100, 800), 0);
    s.close();
    records = s.writer.records;
  }
  if (onDisk) {
    const target = join(cwd, newFile);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, project.text(newFile));
    renameSync(tmp, target);
  }
  return { file, bytes: stats.bytes, records, events: stats.events, createdFile: join(cwd, newFile) };
}
