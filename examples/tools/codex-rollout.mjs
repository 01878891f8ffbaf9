// @ts-check
// Writes one Codex CLI rollout record by record in the `{timestamp, type, payload}` shape of codex-rs 0.6x:
// session_meta, turn_context per turn, user/assistant messages, reasoning, shell calls and apply_patch custom tool
// calls with their JSON outputs. Patches are applied to the Workspace, so a patch that would not apply makes the
// generator fail, and a patch meant to fail is checked to really fail.
import { applyUpdateChunks, parseApplyPatch } from "./fixture-kit.mjs";
import { PROJECT } from "./claude-session.mjs";

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
    this.push("session_meta", {
      id: this.id,
      timestamp: this.start,
      cwd: PROJECT,
      originator: "codex_cli_rs",
      cli_version: this.cliVersion,
      instructions: null,
      source: "cli",
      model_provider: "openai",
      git: { commit_hash: this.ids.hex(40), branch: options.gitBranch, repository_url: "git@github.com:example/tasklog.git" },
    });
    this.push("response_item", {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: `<environment_context>\n  <cwd>${PROJECT}</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>zsh</shell>\n</environment_context>` }],
    });
  }

  /** File name of the rollout: rollout-<local time>-<id>.jsonl (the fixture uses UTC as local time). */
  fileName() {
    return `rollout-${this.start.slice(0, 19).replace(/:/g, "-")}-${this.id}.jsonl`;
  }

  /** @param {string} type @param {object} payload @param {number} [gapMs] */
  push(type, payload, gapMs = 0) {
    this.records.push({ timestamp: this.clock.tick(gapMs), type, payload });
  }

  /** A new turn: turn_context with the turn's model, then the user's prompt. @param {string} model @param {string} prompt */
  turn(model, prompt, { gapMs = 30_000 } = {}) {
    this.model = model;
    this.prompt = prompt;
    this.push("turn_context", {
      cwd: PROJECT,
      approval_policy: "on-request",
      sandbox_policy: { type: "workspace-write", network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
      model,
      effort: "medium",
      summary: "auto",
    }, gapMs);
    this.push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] }, 5);
    this.push("event_msg", { type: "user_message", message: prompt, images: [] }, 1);
    this.tokenCount();
  }

  tokenCount() {
    this.tokens += 5_311;
    const last = { input_tokens: 5_100, cached_input_tokens: 3_968, output_tokens: 211, reasoning_output_tokens: 128, total_tokens: 5_311 };
    const output = Math.floor(this.tokens / 25);
    const total = { input_tokens: this.tokens - output, cached_input_tokens: Math.floor(this.tokens * 0.7), output_tokens: output, reasoning_output_tokens: Math.floor(output / 2), total_tokens: this.tokens };
    this.push("event_msg", {
      type: "token_count",
      info: { total_token_usage: total, last_token_usage: last, model_context_window: 272_000 },
      rate_limits: { primary: { used_percent: 4, window_minutes: 300, resets_in_seconds: 15_120 }, secondary: { used_percent: 1, window_minutes: 10_080, resets_in_seconds: 501_400 } },
    }, 300);
  }

  /** @param {string} summary */
  reason(summary) {
    this.push("response_item", { type: "reasoning", summary: [{ type: "summary_text", text: summary }], content: null, encrypted_content: `gAAAAA${this.ids.blob(420)}` }, 2_400);
    this.push("event_msg", { type: "agent_reasoning", text: summary }, 1);
  }

  /** @param {string} command @param {string} output @param {number} [exitCode] */
  shell(command, output, exitCode = 0) {
    const callId = this.ids.callId();
    this.push("response_item", { type: "function_call", name: "shell_command", arguments: JSON.stringify({ command, workdir: PROJECT }), call_id: callId }, 1_900);
    this.push("response_item", { type: "function_call_output", call_id: callId, output: `Exit code: ${exitCode}\nWall time: 0.2 seconds\nOutput:\n${output}` }, 240);
    this.tokenCount();
  }

  /**
   * An apply_patch custom tool call. With `fail`, the patch must not apply: the output says so with exit code 1.
   * @param {string} patch @param {{fail?: boolean}} [options]
   */
  patch(patch, { fail = false } = {}) {
    const callId = this.ids.callId();
    this.push("response_item", { type: "custom_tool_call", status: "completed", call_id: callId, name: "apply_patch", input: patch }, 2_600);
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
    const output = error !== null
      ? { output: `apply_patch verification failed: ${error}`, metadata: { exit_code: 1, duration_seconds: 0.004 } }
      : { output: `Success. Updated the following files:\n${summary.join("\n")}\n`, metadata: { exit_code: 0, duration_seconds: 0.011 } };
    this.records.push({ timestamp, type: "response_item", payload: { type: "custom_tool_call_output", call_id: callId, output: JSON.stringify(output) } });
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
    this.push("event_msg", { type: "agent_message", message: text }, 2_000);
    this.push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text }] }, 1);
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
