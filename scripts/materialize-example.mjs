#!/usr/bin/env node
// @ts-check
// Makes the bundled example real: copies examples/project to <dest>/project and writes the trace templates into a
// fake home (<dest>/home/.claude/projects/<encoded project path>/…, <dest>/home/.codex/sessions/YYYY/MM/DD/…,
// <dest>/home/.gemini/tmp/<sha256 of the project path>/chats/…, <dest>/home/.local/share/opencode/storage/…) with
// @PROJECT@ replaced by the real absolute project path and @PROJECT_HASH@ by its sha256. It only ever replaces a <dest> it created itself (marker).
// Usage: node scripts/materialize-example.mjs <dest>     (prints {"home", "project"} as JSON)
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const PLACEHOLDER = "@PROJECT@";
const HASH_PLACEHOLDER = "@PROJECT_HASH@";
const MARKER = ".ai-blame-example";

/**
 * Claude Code's project folder name: every non-[A-Za-z0-9] character becomes `-`; names over 200 characters are
 * cut to 200 and suffixed with `-` + base36 of a 32-bit string hash of the original path.
 * @param {string} path
 */
export function encodeClaudeProject(path) {
  const encoded = path.replace(/[^A-Za-z0-9]/g, "-");
  if (encoded.length <= 200) return encoded;
  let h = 0;
  for (let i = 0; i < path.length; i++) h = ((h << 5) - h + path.charCodeAt(i)) | 0;
  return `${encoded.slice(0, 200)}-${Math.abs(h).toString(36)}`;
}

/**
 * Replace the placeholder in every string of a parsed record, including strings that are themselves JSON (Codex
 * tool outputs and arguments), so paths with `\` or `"` stay correctly escaped at every level.
 * @param {unknown} value @param {string} project @returns {unknown}
 */
function relocate(value, project) {
  if (typeof value === "string") {
    if (!value.includes(PLACEHOLDER)) return value;
    if (/^[[{]/.test(value)) {
      try {
        return JSON.stringify(relocate(JSON.parse(value), project));
      } catch {
        // Not JSON after all: plain text replacement below.
      }
    }
    return value.split(PLACEHOLDER).join(project);
  }
  if (Array.isArray(value)) return value.map((v) => relocate(v, project));
  if (value !== null && typeof value === "object") {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k.split(PLACEHOLDER).join(project)] = relocate(v, project);
    return out;
  }
  return value;
}

/** @param {string} text @param {string} project */
function relocateJsonl(text, project) {
  const lines = text.split("\n");
  let last = null;
  const out = lines.map((line) => {
    if (line.trim() === "") return line;
    const record = relocate(JSON.parse(line), project);
    const ts = /** @type {{timestamp?: unknown}} */ (record).timestamp;
    if (typeof ts === "string") last = ts;
    return JSON.stringify(record);
  });
  return { text: out.join("\n"), lastTimestamp: last };
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Write via a temporary sibling and rename, so a reader never sees half a trace. @param {string} path @param {string} text */
function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Materialize the example under `dest` (created if missing). Returns absolute, symlink-free paths.
 * @param {string} dest
 * @param {{examplesDir?: string}} [options]
 * @returns {{root: string, home: string, project: string, claudeProjectDir: string, codexSessionsDir: string, traces: string[]}}
 */
export function materializeExample(dest, options = {}) {
  const examples = options.examplesDir ?? join(repo, "examples");
  mkdirSync(dest, { recursive: true });
  const root = realpathSync(dest);
  const project = join(root, "project");
  const home = join(root, "home");
  const ours = existsSync(join(root, MARKER));
  for (const sub of [project, home]) {
    if (!existsSync(sub)) continue;
    if (!ours) throw new Error(`${sub} exists and was not made by this script; choose an empty destination`);
    rmSync(sub, { recursive: true, force: true });
  }
  writeFileSync(join(root, MARKER), "Created by scripts/materialize-example.mjs; safe to delete.\n");
  cpSync(join(examples, "project"), project, { recursive: true });

  const claudeProjectDir = join(home, ".claude", "projects", encodeClaudeProject(project));
  const codexSessionsDir = join(home, ".codex", "sessions");
  /** @type {string[]} */
  const traces = [];
  const templates = join(examples, "traces");
  for (const file of walk(join(templates, "claude"))) {
    const target = join(claudeProjectDir, relative(join(templates, "claude"), file));
    traces.push(writeTrace(file, target, project));
  }
  for (const file of walk(join(templates, "codex"))) {
    const name = basename(file);
    const date = /^rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(name);
    if (!date) throw new Error(`codex template ${name} is not named rollout-YYYY-MM-DDT…`);
    traces.push(writeTrace(file, join(codexSessionsDir, date[1] ?? "", date[2] ?? "", date[3] ?? "", name), project));
  }
  const geminiTemplates = join(templates, "gemini");
  if (existsSync(geminiTemplates)) {
    const hash = createHash("sha256").update(project).digest("hex");
    for (const file of walk(geminiTemplates)) {
      traces.push(writeTrace(file, join(home, ".gemini", "tmp", hash, relative(geminiTemplates, file)), project, hash));
    }
  }
  const opencodeTemplates = join(templates, "opencode");
  if (existsSync(opencodeTemplates)) {
    for (const file of walk(opencodeTemplates)) {
      traces.push(writeTrace(file, join(home, ".local", "share", "opencode", relative(opencodeTemplates, file)), project));
    }
  }
  return { root, home, project, claudeProjectDir, codexSessionsDir, traces };
}

/** @param {string} template @param {string} target @param {string} project @param {string} [hash] */
function writeTrace(template, target, project, hash) {
  const relocated = relocateJsonl(readFileSync(template, "utf8"), project);
  const { lastTimestamp } = relocated;
  const text = hash === undefined ? relocated.text : relocated.text.split(HASH_PLACEHOLDER).join(hash);
  if (text.includes(PLACEHOLDER)) throw new Error(`${template}: placeholder left after relocation`);
  writeAtomic(target, text);
  // A trace's mtime is when its agent last wrote to it.
  if (lastTimestamp !== null) {
    const when = new Date(lastTimestamp);
    utimesSync(target, when, when);
  }
  return target;
}

function main() {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]?.startsWith("-")) {
    console.error("usage: node scripts/materialize-example.mjs <dest>");
    process.exit(2);
  }
  try {
    const { home, project } = materializeExample(resolve(/** @type {string} */ (args[0])));
    console.log(JSON.stringify({ home, project }));
  } catch (e) {
    console.error(`materialize-example: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
