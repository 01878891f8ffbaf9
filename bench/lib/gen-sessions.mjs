// @ts-check
// What one generated session does with its byte budget: a Claude session alternates prompts, reading, running
// commands, thinking and occasional edits (plus its share of the hot file's edits and sometimes a subagent); a
// Codex session does the same with shell output, reasoning and apply_patch. Sessions stop once their budget is met.
import { join } from "node:path";
import { ClaudeTrace } from "./gen-claude.mjs";
import { CodexTrace } from "./gen-codex.mjs";

const CLAUDE_MODELS = ["claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"];
const SUBAGENT_MODEL = "claude-haiku-4-5-20251001";
const CODEX_MODELS = ["gpt-5.1-codex", "gpt-5.1-codex-max", "gpt-5-codex"];
const CLAUDE_VERSIONS = ["2.0.31", "2.0.55", "2.0.64", "2.0.76"];
/** "A few hundred files": agents stop creating files past this. */
const MAX_FILES = 450;

/**
 * @typedef {{rng: import("./gen-random.mjs").Rng, pools: ReturnType<typeof import("./gen-random.mjs").makeTextPools>,
 *   clock: {ms: number}, project: import("./gen-project.mjs").Project, cwd: string, claudeDir: string,
 *   codexDir: string, stats: import("./gen-claude.mjs").Stats & {subagents: number, hotEdits: number},
 *   hot: {path: string, lines: number, edits: number, initialLines: number}}} Context
 */

/** A project file other than the hot one. @param {Context} ctx */
function ordinaryFile(ctx) {
  return /** @type {string} */ (ctx.project.pickPath((p) => p !== ctx.hot.path));
}

/** Size of a large tool result: mostly a few KB, sometimes tens of KB. @param {Context} ctx */
function resultSize(ctx) {
  return ctx.rng.chance(0.2) ? ctx.rng.int(20_000, 90_000) : ctx.rng.int(1_000, 12_000);
}

/**
 * The next edit of the hot file: inserts that grow it to exactly `hot.lines` lines by its last edit, with an
 * occasional 2→2-line rewrite while there is room. @param {Context} ctx @param {ClaudeTrace} s
 */
function hotEdit(ctx, s) {
  const current = /** @type {import("./gen-project.mjs").ProjectFile} */ (ctx.project.files.get(ctx.hot.path)).lines.length;
  const remaining = ctx.hot.edits - ctx.stats.hotEdits;
  const need = ctx.hot.lines - current;
  const insert = Math.max(0, Math.round(need / remaining));
  ctx.stats.hotEdits += 1;
  if (insert > 0 && !(remaining > 1 && ctx.stats.hotEdits % 5 === 0)) return s.edit(ctx.hot.path, { insert });
  return s.edit(ctx.hot.path, { maxOld: 1, maxNew: 1 });
}

/**
 * A Claude session of about `budget` bytes (not counting hot-file edit records), making `hotQuota` hot edits. The
 * budget counts its subagents' traces too, unless `ownFile` (then the session's own file is about `budget`).
 * Returns the session trace's path.
 * @param {Context} ctx @param {number} budget @param {number} hotQuota @param {boolean} createHot @param {boolean} [ownFile]
 */
export function claudeSession(ctx, budget, hotQuota, createHot, ownFile = false) {
  const { rng, pools } = ctx;
  const sessionId = rng.uuid();
  const version = rng.pick(CLAUDE_VERSIONS);
  const s = new ClaudeTrace({ ...ctx, path: join(ctx.claudeDir, `${sessionId}.jsonl`), sessionId, version, model: rng.pick(CLAUDE_MODELS) });
  let hotBytes = 0;
  let hotDone = 0;
  let subBytes = 0;
  let subagents = rng.int(0, 3);
  const filler = () => s.writer.bytes - hotBytes + (ownFile ? 0 : subBytes);
  const hot = (/** @type {() => void} */ step) => {
    const before = s.writer.bytes;
    step();
    hotBytes += s.writer.bytes - before;
  };
  s.prompt(pools.prose(rng.int(80, 900)));
  if (createHot) {
    const lines = ctx.project.codeBlock("py", ctx.hot.initialLines);
    hot(() => s.tools([s.create(ctx.hot.path, 0, lines)]));
  }
  while (filler() < budget || hotDone < hotQuota) {
    for (let step = rng.int(2, 8); step > 0; step--) {
      if (hotDone < hotQuota && (filler() >= budget || filler() >= (budget * (hotDone + 1)) / (hotQuota + 1))) {
        hot(() => s.tools([hotEdit(ctx, s)], rng.chance(0.3) ? rng.int(200, 3_000) : 0));
        hotDone += 1;
        continue;
      }
      if (filler() >= budget) break;
      const r = rng.next();
      if (r < 0.3) s.tools(Array.from({ length: rng.chance(0.3) ? rng.int(2, 3) : 1 }, () => s.read(ordinaryFile(ctx))), rng.int(0, 2_000));
      else if (r < 0.45) s.tools([s.bash(resultSize(ctx))]);
      else if (r < 0.52) s.tools([s.grep(rng.int(1_000, 15_000))]);
      else if (r < 0.6) s.tools([s.edit(ordinaryFile(ctx))], rng.int(100, 1_500));
      else if (r < 0.63 && ctx.project.files.size < MAX_FILES) s.tools([s.create(ctx.project.newPath(), rng.int(20, 300))]);
      else if (r < 0.65) s.tools([s.multiEdit(ordinaryFile(ctx))]);
      else if (r < 0.67) s.tools([s.failedEdit(ordinaryFile(ctx))]);
      else if (r < 0.69 && subagents > 0) {
        subagents -= 1;
        subBytes += subagent(ctx, s, version, Math.min(budget / 8, 2_000_000));
      }
      else if (r < 0.7) s.switchModel(rng.pick(CLAUDE_MODELS));
      else s.say(rng.int(100, 3_000), rng.chance(0.6) ? rng.int(300, 9_000) : 0);
    }
    s.say(rng.int(100, 1_500), 0);
    if (filler() < budget || hotDone < hotQuota) s.prompt(pools.prose(rng.int(40, 900)));
  }
  s.close();
  return s.writer.path;
}

/**
 * A subagent spawned by `parent`, writing its own trace (new layout `<session>/subagents/` for newer versions,
 * `agent-<id>.jsonl` beside the session for older ones). Returns the subagent trace's size.
 * @param {Context} ctx @param {ClaudeTrace} parent @param {string} version @param {number} budget
 */
function subagent(ctx, parent, version, budget) {
  const { rng } = ctx;
  const agentId = rng.hex(8);
  const newLayout = version >= "2.0.60";
  const path = newLayout ? join(ctx.claudeDir, parent.sessionId, "subagents", `agent-${agentId}.jsonl`) : join(ctx.claudeDir, `agent-${agentId}.jsonl`);
  let size = 0;
  parent.tools([parent.task(agentId, (prompt) => {
    const sub = new ClaudeTrace({ ...ctx, path, sessionId: parent.sessionId, version, model: SUBAGENT_MODEL, agentId });
    ctx.stats.subagents += 1;
    sub.prompt(prompt);
    while (sub.writer.bytes < budget) {
      if (rng.chance(0.6)) sub.tools([sub.read(ordinaryFile(ctx))]);
      else sub.tools([sub.bash(resultSize(ctx))]);
    }
    sub.tools([sub.edit(ordinaryFile(ctx))]);
    sub.say(rng.int(200, 1_500), 0);
    sub.close();
    size = sub.writer.bytes;
    return ctx.pools.prose(rng.int(200, 1_200));
  })]);
  return size;
}

/** A Codex session of about `budget` bytes. @param {Context} ctx @param {number} budget */
export function codexSession(ctx, budget) {
  const { rng, pools } = ctx;
  const c = new CodexTrace({ ...ctx, sessionsDir: ctx.codexDir, cliVersion: rng.pick(["0.58.0", "0.63.0", "0.65.0"]) });
  while (c.writer.bytes < budget) {
    c.turn(rng.pick(CODEX_MODELS), pools.prose(rng.int(60, 700)));
    for (let step = rng.int(2, 7); step > 0 && c.writer.bytes < budget; step--) {
      const r = rng.next();
      if (r < 0.35) c.showFile(ordinaryFile(ctx));
      else if (r < 0.55) c.logCommand(resultSize(ctx));
      else if (r < 0.7) c.reason(rng.int(1_000, 8_000));
      else if (r < 0.8) c.update(ordinaryFile(ctx));
      else if (r < 0.83 && ctx.project.files.size < MAX_FILES) c.add(ctx.project.newPath(), rng.int(20, 200));
      else if (r < 0.85) {
        const doomed = ctx.project.pickPath((p, f) => f.createdBy !== "human" && p !== ctx.hot.path);
        if (doomed && ctx.project.files.size > 50) c.remove(doomed);
      } else if (r < 0.87) c.failing(ordinaryFile(ctx));
      else c.say(rng.int(200, 2_000));
    }
    c.say(rng.int(100, 1_200));
  }
  c.close();
}
