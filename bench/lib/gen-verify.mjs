// @ts-check
// Replays a generated folder independently of the generator's own bookkeeping: every successful Claude edit and
// Codex patch in time order, checking that each recorded originalFile is the replayed content, that each
// structuredPatch turns it into the result, and that the replay ends at the project files on disk.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { applyPatch } from "diff";
import { applyUpdateChunks, parseApplyPatch, replaceText } from "../../examples/tools/fixture-kit.mjs";

/** @param {string} dir @returns {string[]} */
function jsonlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsonlFiles(join(dir, e.name)) : e.name.endsWith(".jsonl") ? [join(dir, e.name)] : []));
}

/**
 * @param {string} root the generator's --out folder (with manifest.json)
 * @returns {{events: number, hotEdits: number, files: number, unknown: number, problems: string[]}}
 */
export function verifyGenerated(root) {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  const project = /** @type {string} */ (manifest.project);
  const rel = (/** @type {string} */ p) => relative(project, p).split("\\").join("/");
  /** @type {string[]} */
  const problems = [];
  /** @type {Array<{t: string, order: number, apply: (state: Map<string, string | null>) => void}>} */
  const steps = [];
  let order = 0;
  let hotEdits = 0;
  for (const file of jsonlFiles(join(manifest.home, ".claude", "projects"))) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.includes('"toolUseResult":{') || !line.includes('"filePath"')) continue;
      const r = JSON.parse(line);
      const tur = r.toolUseResult;
      const result = r.message?.content?.[0];
      if (result?.is_error || typeof tur?.filePath !== "string" || !("structuredPatch" in tur)) continue;
      const path = rel(tur.filePath);
      if (path === manifest.hotFileRelative && typeof tur.oldString === "string") hotEdits += 1;
      steps.push({
        t: r.timestamp, order: order++, apply: (state) => {
          const before = tur.type === "create" ? null : (tur.originalFile ?? tur.originalFileContents);
          if (before !== null && state.get(path) != null && state.get(path) !== before) problems.push(`${file}: originalFile of ${path} differs from the replay`);
          let after;
          if (tur.type === "create" || tur.type === "update") after = tur.content;
          else if (Array.isArray(tur.edits)) after = tur.edits.reduce((/** @type {string} */ t, /** @type {any} */ e) => replaceText(t, e.old_string, e.new_string, e.replace_all), before);
          else after = replaceText(before, tur.oldString, tur.newString, tur.replaceAll);
          if (before !== null && applyPatch(before, { oldFileName: "", newFileName: "", oldHeader: "", newHeader: "", hunks: tur.structuredPatch }) !== after) {
            problems.push(`${file}: structuredPatch of ${path} does not produce the edit's result`);
          }
          state.set(path, after);
        },
      });
    }
  }
  for (const file of jsonlFiles(join(manifest.home, ".codex", "sessions"))) {
    /** @type {Map<string, {t: string, input: string}>} */
    const calls = new Map();
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.includes("custom_tool_call")) continue;
      const r = JSON.parse(line);
      if (r.payload.type === "custom_tool_call") calls.set(r.payload.call_id, { t: r.timestamp, input: r.payload.input });
      if (r.payload.type !== "custom_tool_call_output" || JSON.parse(r.payload.output).metadata.exit_code !== 0) continue;
      const call = calls.get(r.payload.call_id);
      if (!call) {
        problems.push(`${file}: output without call ${r.payload.call_id}`);
        continue;
      }
      steps.push({
        t: r.timestamp, order: order++, apply: (state) => {
          for (const op of parseApplyPatch(call.input)) {
            const path = rel(op.path);
            if (op.kind === "add") state.set(path, op.lines.map((/** @type {string} */ l) => `${l}\n`).join(""));
            else if (op.kind === "delete") state.delete(path);
            else {
              // A file that existed before any trace (human-written) has no known content until a Claude edit
              // records it as originalFile; a Codex hunk alone cannot tell, so the file stays unknown.
              const current = state.get(path);
              if (current == null) {
                state.set(path, null);
                continue;
              }
              try {
                state.set(path, applyUpdateChunks(current, path, op.chunks));
              } catch (e) {
                problems.push(`${file}: patch does not apply to ${path}: ${e instanceof Error ? e.message.split("\n")[0] : e}`);
              }
            }
          }
        },
      });
    }
  }
  steps.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.order - b.order));
  /** @type {Map<string, string | null>} */
  const state = new Map();
  for (const s of steps) s.apply(state);
  let unknown = 0;
  for (const [path, text] of state) {
    if (text === null) {
      unknown += 1;
      continue;
    }
    const disk = join(project, path);
    if (!existsSync(disk)) {
      problems.push(`${path} is missing from the project`);
      continue;
    }
    const onDisk = readFileSync(disk, "utf8").split("\n").map((l) => l.replace(/ {2}# reviewed$/, ""));
    if (onDisk.join("\n") !== text) problems.push(`${path}: the project file differs from the replayed content`);
  }
  return { events: steps.length, hotEdits, files: state.size - unknown, unknown, problems };
}
