// @ts-check
// Streams one Codex CLI rollout through the Codex writer kit (examples/tools/writers): session_meta, turn_context per
// turn, user/agent messages, encrypted reasoning, shell_command calls with large outputs (the bulk of the bytes), and
// apply_patch custom tool calls (Add/Update/Delete File, one failing) applied to the Project so they stay exact.
import { join } from "node:path";
import { CodexRolloutWriter, patchOutput, rolloutPath } from "../../examples/tools/writers/codex.mjs";
import { JsonlWriter } from "./gen-writer.mjs";

export class CodexTrace {
  /**
   * @param {{rng: import("./gen-random.mjs").Rng, pools: ReturnType<typeof import("./gen-random.mjs").makeTextPools>,
   *   clock: {ms: number}, project: import("./gen-project.mjs").Project, sessionsDir: string, cwd: string,
   *   cliVersion: string, stats: import("./gen-claude.mjs").Stats, appendTo?: string}} o
   */
  constructor(o) {
    this.rng = o.rng;
    this.pools = o.pools;
    this.clock = o.clock;
    this.project = o.project;
    this.cwd = o.cwd;
    this.stats = o.stats;
    this.model = "";
    this.tokens = 0;
    const start = new Date(o.clock.ms).toISOString();
    this.id = o.rng.uuidv7(o.clock.ms);
    const tick = (/** @type {number} */ ms) => {
      this.clock.ms += ms;
      return new Date(this.clock.ms).toISOString();
    };
    if (o.appendTo) {
      // Continue an existing rollout: no new session_meta.
      this.writer = new JsonlWriter(o.appendTo, "a");
      this.out = new CodexRolloutWriter({ emit: (r) => this.writer.write(r), tick, cwd: o.cwd });
      return;
    }
    const where = rolloutPath(start, this.id);
    this.writer = new JsonlWriter(join(o.sessionsDir, ...where.dir, where.name));
    this.out = new CodexRolloutWriter({ emit: (r) => this.writer.write(r), tick, cwd: o.cwd });
    this.stats.files += 1;
    this.out.sessionStart({ id: this.id, timestamp: start, cliVersion: o.cliVersion, commitHash: o.rng.hex(40), branch: "main", repositoryUrl: "git@github.com:example/bench.git", shell: "bash" }, 5);
  }

  /** @param {string} model @param {string} prompt */
  turn(model, prompt) {
    this.model = model;
    this.out.turn(model, prompt, this.rng.int(30_000, 900_000), 3);
    this.tokenCount();
  }

  tokenCount() {
    this.tokens += this.rng.int(2_000, 30_000);
    const out = Math.floor(this.tokens / 20);
    const usage = (/** @type {number} */ t) => ({
      input_tokens: t - Math.floor(t / 20),
      cached_input_tokens: Math.floor(t * 0.8),
      output_tokens: Math.floor(t / 20),
      reasoning_output_tokens: Math.floor(t / 40),
      total_tokens: t,
    });
    const primary = { used_percent: this.rng.int(1, 60), window_minutes: 300, resets_in_seconds: this.rng.int(60, 18_000) };
    this.out.tokenCount(usage(this.tokens), usage(out + 1_000), { primary, secondary: null }, 200);
  }

  /** @param {number} bytes */
  reason(bytes) {
    const summary = `**${this.pools.prose(60).slice(0, 50)}**`;
    this.out.reasoning(summary, this.rng.blob(bytes), this.rng.int(1_000, 20_000));
  }

  /** @param {string} command @param {string} output */
  shell(command, output) {
    const callId = this.rng.callId();
    this.out.shellCall(callId, command, this.rng.int(500, 8_000));
    this.out.shellOutput(callId, 0, this.rng.int(1, 90) / 10, output, this.rng.int(50, 20_000));
    this.tokenCount();
  }

  /** @param {number} bytes */
  logCommand(bytes) {
    this.shell(this.rng.pick(["pytest -q 2>&1 | tail -300", "git log --oneline -300", "rg -n 'return' src", "npm run lint"]), this.pools.log(bytes));
  }

  /** Show a project file as `sed -n` would. @param {string} rel */
  showFile(rel) {
    this.shell(`sed -n '1,400p' ${rel}`, this.project.text(rel).split("\n").slice(0, 400).join("\n"));
  }

  /** @param {string[]} lines @param {boolean} [fail] */
  patch(lines, fail = false) {
    const callId = this.rng.callId();
    this.out.patchCall(callId, `*** Begin Patch\n${lines.join("\n")}\n*** End Patch\n`, this.rng.int(2_000, 30_000));
    const summary = lines.filter((l) => l.startsWith("*** ")).map((l) => `${l.startsWith("*** Add") ? "A" : l.startsWith("*** Delete") ? "D" : "M"} ${l.slice(l.indexOf(": ") + 2)}`);
    const output = fail ? patchOutput(null, "Failed to find expected lines in the file", 0.002) : patchOutput(summary, "", 0.01);
    this.out.patchOutputAt(this.out.tick(this.rng.int(50, 400)), callId, output);
    if (!fail) {
      this.stats.events += summary.length;
      this.stats.editRecords += 1;
    }
    this.tokenCount();
  }

  /** Update File with three lines of context and sometimes an `@@` context header. @param {string} rel */
  update(rel) {
    const e = this.project.edit(rel);
    const before = e.before.split("\n");
    const ctxFrom = Math.max(0, e.start - 3);
    const header = ctxFrom >= 1 && before[ctxFrom - 1] !== "" && this.rng.chance(0.5) ? `@@ ${before[ctxFrom - 1]}` : "@@";
    const afterStart = e.start + e.oldLines.length;
    const lines = [
      `*** Update File: ${this.cwd}/${rel}`,
      header,
      ...before.slice(ctxFrom, e.start).map((l) => ` ${l}`),
      ...e.oldLines.map((l) => `-${l}`),
      ...e.newLines.map((l) => `+${l}`),
      ...before.slice(afterStart, Math.min(afterStart + 3, before.length - 1)).map((l) => ` ${l}`),
    ];
    this.patch(lines);
  }

  /** @param {string} rel @param {number} count */
  add(rel, count) {
    const lines = this.project.codeBlock(rel.endsWith(".py") ? "py" : "ts", count);
    this.project.add(rel, lines, "codex");
    this.patch([`*** Add File: ${this.cwd}/${rel}`, ...lines.map((l) => `+${l}`)]);
  }

  /** @param {string} rel */
  remove(rel) {
    this.project.files.delete(rel);
    this.patch([`*** Delete File: ${this.cwd}/${rel}`]);
  }

  /** A patch whose old line does not exist: exit code 1, nothing changes. @param {string} rel */
  failing(rel) {
    this.patch([`*** Update File: ${this.cwd}/${rel}`, "@@", `-    ${this.rng.word()}_gone = None`, `+    ${this.rng.word()}_gone = 0`], true);
  }

  /** @param {number} bytes */
  say(bytes) {
    const text = this.pools.prose(bytes);
    this.out.agentMessage(text, this.rng.int(1_000, 10_000));
    this.tokenCount();
  }

  close() {
    this.writer.close();
    this.stats.bytes += this.writer.bytes;
  }
}
