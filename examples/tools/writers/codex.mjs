// @ts-check
// The Codex CLI trace-writer kit: rollout records in the `{timestamp, type, payload}` shape of codex-rs 0.6x —
// session_meta, turn_context, user/assistant messages, reasoning, token counts, shell calls and apply_patch custom
// tool calls with their JSON outputs — and the rollout's file name. The example builder, the benchmark generator
// and tests drive it with their own ids, clock and file model.

export class CodexRolloutWriter {
  /** @param {{emit: (record: object) => void, tick: (ms: number) => string, cwd: string}} o */
  constructor(o) {
    this.emit = o.emit;
    this.tick = o.tick;
    this.cwd = o.cwd;
  }

  /** @param {string} type @param {object} payload @param {number} gapMs */
  push(type, payload, gapMs) {
    this.emit({ timestamp: this.tick(gapMs), type, payload });
  }

  /**
   * The session header and the environment context message that follows it.
   * @param {{id: string, timestamp: string, cliVersion: string, commitHash: string, branch: string, repositoryUrl: string, shell: string}} s
   * @param {number} gapMs time before the environment message
   */
  sessionStart(s, gapMs) {
    this.sessionMeta({ id: s.id, timestamp: s.timestamp, cliVersion: s.cliVersion, git: { commit_hash: s.commitHash, branch: s.branch, repository_url: s.repositoryUrl } }, 0);
    const context = `<environment_context>\n  <cwd>${this.cwd}</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>${s.shell}</shell>\n</environment_context>`;
    this.push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: context }] }, gapMs);
  }

  /**
   * The session_meta record alone; `git` is left out when not given (a rollout of a folder outside git).
   * @param {{id: string, timestamp: string, cliVersion: string, git?: {commit_hash: string, branch: string, repository_url: string}}} s
   * @param {number} gapMs
   */
  sessionMeta(s, gapMs) {
    this.push("session_meta", { id: s.id, timestamp: s.timestamp, cwd: this.cwd, originator: "codex_cli_rs", cli_version: s.cliVersion, instructions: null, source: "cli", model_provider: "openai", ...(s.git ? { git: s.git } : {}) }, gapMs);
  }

  /** A turn's context (its model), then the user's prompt as response item and event. @param {string} model @param {string} prompt @param {number} gapMs @param {number} promptGapMs */
  turn(model, prompt, gapMs, promptGapMs) {
    this.turnContext(model, gapMs);
    this.prompt(prompt, promptGapMs);
  }

  /** The turn_context record that names the turn's model. @param {string} model @param {number} gapMs */
  turnContext(model, gapMs) {
    this.push("turn_context", { cwd: this.cwd, approval_policy: "on-request", sandbox_policy: { type: "workspace-write", network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false }, model, effort: "medium", summary: "auto" }, gapMs);
  }

  /** The user's prompt as response item, then as event 1 ms later. @param {string} prompt @param {number} gapMs */
  prompt(prompt, gapMs) {
    this.push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] }, gapMs);
    this.push("event_msg", { type: "user_message", message: prompt, images: [] }, 1);
  }

  /** @param {object} total @param {object} last @param {object} rateLimits @param {number} gapMs */
  tokenCount(total, last, rateLimits, gapMs) {
    this.push("event_msg", { type: "token_count", info: { total_token_usage: total, last_token_usage: last, model_context_window: 272_000 }, rate_limits: rateLimits }, gapMs);
  }

  /** @param {string} summary @param {string} encrypted @param {number} gapMs */
  reasoning(summary, encrypted, gapMs) {
    this.push("response_item", { type: "reasoning", summary: [{ type: "summary_text", text: summary }], content: null, encrypted_content: `gAAAAA${encrypted}` }, gapMs);
    this.push("event_msg", { type: "agent_reasoning", text: summary }, 1);
  }

  /** A `shell_command` function call. @param {string} callId @param {string} command @param {number} gapMs */
  shellCall(callId, command, gapMs) {
    this.push("response_item", { type: "function_call", name: "shell_command", arguments: JSON.stringify({ command, workdir: this.cwd }), call_id: callId }, gapMs);
  }

  /** @param {string} callId @param {number} exitCode @param {number} wallSeconds @param {string} output @param {number} gapMs */
  shellOutput(callId, exitCode, wallSeconds, output, gapMs) {
    this.push("response_item", { type: "function_call_output", call_id: callId, output: `Exit code: ${exitCode}\nWall time: ${wallSeconds} seconds\nOutput:\n${output}` }, gapMs);
  }

  /** An `apply_patch` custom tool call. @param {string} callId @param {string} patch @param {number} gapMs */
  patchCall(callId, patch, gapMs) {
    this.push("response_item", { type: "custom_tool_call", status: "completed", call_id: callId, name: "apply_patch", input: patch }, gapMs);
  }

  /** The output record of an apply_patch call at a given time. @param {string} timestamp @param {string} callId @param {object} output */
  patchOutputAt(timestamp, callId, output) {
    this.emit({ timestamp, type: "response_item", payload: { type: "custom_tool_call_output", call_id: callId, output: JSON.stringify(output) } });
  }

  /** @param {string} text @param {number} gapMs */
  agentMessage(text, gapMs) {
    this.push("event_msg", { type: "agent_message", message: text }, gapMs);
    this.push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text }] }, 1);
  }
}

/** The JSON output of apply_patch: success lists the files (`A`/`M`/`D path`), failure says why with exit code 1. @param {string[] | null} summary @param {string} error @param {number} durationSeconds */
export function patchOutput(summary, error, durationSeconds) {
  return summary !== null
    ? { output: `Success. Updated the following files:\n${summary.join("\n")}\n`, metadata: { exit_code: 0, duration_seconds: durationSeconds } }
    : { output: `apply_patch verification failed: ${error}`, metadata: { exit_code: 1, duration_seconds: durationSeconds } };
}

/** `rollout-<local time>-<id>.jsonl` under `sessions/YYYY/MM/DD/` (fixtures use UTC as local time). @param {string} startIso @param {string} id */
export function rolloutPath(startIso, id) {
  const [y, m, d] = startIso.slice(0, 10).split("-");
  return { dir: [y ?? "", m ?? "", d ?? ""], name: `rollout-${startIso.slice(0, 19).replace(/:/g, "-")}-${id}.jsonl` };
}
