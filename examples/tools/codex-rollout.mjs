// @ts-check
// Writes one Codex CLI rollout through the Codex writer kit (writers/codex.mjs), in the shape of codex-rs 0.6x.
// Patches are applied to the Workspace, so a patch that would not apply makes the generator fail, and a patch
// meant to fail is checked to really fail.
import { applyUpdateChunks, parseApplyPatch } from "./fixture-kit.mjs";
import { PROJECT } from "./claude-session.mjs";
import { CodexRolloutWriter, patchOutput, rolloutPath } from "./writers/codex.mjs";

export class CodexRollout {
  /**
   * @param {{ids: import("./fixture-kit.mjs").IdSource, clock: import("./fixture-kit.mjs").Clock,
   *   workspace: import("./workspace.mjs").Workspace, cliVersion: string, gitBranch: string}} options
   */
  constructor(options) {
    this.ids = options.ids;
    this.clock = options.clock;
    this.workspace = options.workspace;
    this.cliVersion = options.cliVersion;
    this.start = options.clock.now();
    this.id = options.ids.uuidv7(this.start);
    /** @type {object[]} */
    this.records = [];
    this.model = "";
    this.prompt = "";
    this.tokens = 0;
    this.out = new CodexRolloutWriter({ emit: (r) => void this.records.push(r), tick: (ms) => this.clock.tick(ms), cwd: PROJECT });
    this.out.sessionStart({ id: this.id, timestamp: this.start, cliVersion: this.cliVersion, commitHash: this.ids.hex(40), branch: options.gitBranch, repositoryUrl: "git@github.com:example/tasklog.git", shell: "zsh" }, 0);
  }

  /** File name of the rollout: rollout-<local time>-<id>.jsonl (the fixture uses UTC as local time). */
  fileName() {
    return rolloutPath(this.start, this.id).name;
  }

  /** A new turn: turn_context with the turn's model, then the user's prompt. @param {string} model @param {string} prompt */
  turn(model, prompt, { gapMs = 30_000 } = {}) {
    this.model = model;
    this.prompt = prompt;
    this.out.turn(model, prompt, gapMs, 5);
    this.tokenCount();
  }

  tokenCount() {
    this.tokens += 5_311;
    const last = { input_tokens: 5_100, cached_input_tokens: 3_968, output_tokens: 211, reasoning_output_tokens: 128, total_tokens: 5_311 };
    const output = Math.floor(this.tokens / 25);
    const total = { input_tokens: this.tokens - output, cached_input_tokens: Math.floor(this.tokens * 0.7), output_tokens: output, reasoning_output_tokens: Math.floor(output / 2), total_tokens: this.tokens };
    const rateLimits = { primary: { used_percent: 4, window_minutes: 300, resets_in_seconds: 15_120 }, secondary: { used_percent: 1, window_minutes: 10_080, resets_in_seconds: 501_400 } };
    this.out.tokenCount(total, last, rateLimits, 300);
  }

  /** @param {string} summary */
  reason(summary) {
    this.out.reasoning(summary, this.ids.blob(420), 2_400);
  }

  /** @param {string} command @param {string} output @param {number} [exitCode] */
  shell(command, output, exitCode = 0) {
    const callId = this.ids.callId();
    this.out.shellCall(callId, command, 1_900);
    this.out.shellOutput(callId, exitCode, 0.2, output, 240);
    this.tokenCount();
  }

  /**
   * An apply_patch custom tool call. With `fail`, the patch must not apply: the output says so with exit code 1.
   * @param {string} patch @param {{fail?: boolean}} [options]
   */
  patch(patch, { fail = false } = {}) {
    const callId = this.ids.callId();
    this.out.patchCall(callId, patch, 2_600);
    const ops = parseApplyPatch(patch);
    const timestamp = this.clock.tick(180);
    /** @type {string[]} */
    const summary = [];
    let error = null;
    // Codex checks the whole patch before writing anything; so does this: compute all results first.
    /** @type {Array<[string, string | null, "CREATED" | "EDITED" | "DELETED"]>} */
    const results = [];
    for (const op of ops) {
      const rel = this.relative(op.path);
      try {
        if (op.kind === "add") {
          if (this.workspace.read(rel) !== null) throw new Error(`${op.path} already exists`);
          results.push([rel, op.lines.map((l) => `${l}\n`).join(""), "CREATED"]);
          summary.push(`A ${op.path}`);
        } else if (op.kind === "delete") {
          this.workspace.mustRead(rel);
          results.push([rel, null, "DELETED"]);
          summary.push(`D ${op.path}`);
        } else {
          if (op.moveTo !== null) throw new Error("the example does not use *** Move to");
          results.push([rel, applyUpdateChunks(this.workspace.mustRead(rel), op.path, op.chunks), "EDITED"]);
          summary.push(`M ${op.path}`);
        }
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        break;
      }
    }
    if (fail !== (error !== null)) throw new Error(fail ? "patch meant to fail applied cleanly" : `patch failed: ${error}`);
    const output = error !== null ? patchOutput(null, error, 0.004) : patchOutput(summary, "", 0.011);
    this.out.patchOutputAt(timestamp, callId, output);
    for (const [rel, content, action] of results) {
      this.workspace.apply(rel, content, {
        agent: "codex-cli", agentVersion: this.cliVersion, model: this.model, sessionId: this.id, subagentId: null,
        toolCallId: callId, timestamp, action, prompt: this.prompt, recordsBefore: false,
      });
    }
    this.tokenCount();
  }

  /** @param {string} text */
  say(text) {
    this.out.agentMessage(text, 2_000);
    this.tokenCount();
  }

  /** Project-relative path of a patch path (absolute with the placeholder, or relative to the cwd). @param {string} p */
  relative(p) {
    return p.startsWith(`${PROJECT}/`) ? p.slice(PROJECT.length + 1) : p;
  }

  text() {
    return this.records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  }
}
