// @ts-check
// The Claude Code trace-writer kit: records in the exact shape Claude Code 2.0.x writes (user/assistant records
// chained by uuid/parentUuid, one assistant line per content block sharing message.id, tool results answering by
// tool_use_id with the top-level toolUseResult) and the toolUseResult payloads of its file tools. The example
// builder, the benchmark generator and tests drive it with their own ids, clock and file model.

/**
 * @typedef {{uuid(): string, messageId(): string, requestId(): string, toolUseId(): string, blob(n: number): string}} ClaudeIds
 * @typedef {{content: unknown, toolUseResult: unknown, isError?: boolean}} ToolOutcome
 * @typedef {{name: string, input: Record<string, unknown>, run: (timestamp: string, toolUseId: string) => ToolOutcome, late?: boolean}} ToolCall
 */

export class ClaudeTraceWriter {
  /**
   * @param {{ids: ClaudeIds, tick: (ms: number) => string, emit: (record: object) => void, sessionId: string,
   *   version: string, gitBranch: string, cwd: string, model: string, slug: string | null, agentId?: string | null,
   *   last?: string | null, linkToolResults?: boolean}} o
   * `slug: null` writes no slug; `linkToolResults` gives each tool result the `sourceToolAssistantUUID` of the
   * assistant line that issued the call (as Claude Code 2.0.x writes it).
   */
  constructor(o) {
    this.ids = o.ids;
    this.tick = o.tick;
    this.emit = o.emit;
    this.sessionId = o.sessionId;
    this.version = o.version;
    this.gitBranch = o.gitBranch;
    this.cwd = o.cwd;
    this.model = o.model;
    this.slug = o.slug;
    this.agentId = o.agentId ?? null;
    /** uuid of the last record written (the next one's parentUuid). @type {string | null} */
    this.last = o.last ?? null;
    this.linkToolResults = o.linkToolResults ?? false;
    /** uuid of the assistant line holding each tool_use id, for `sourceToolAssistantUUID`. @type {Map<string, string>} */
    this.toolUseLines = new Map();
  }

  /** Whether records carry `slug` yet (Claude adds it once the session has a name). */
  showSlug() {
    return this.slug !== null && this.last !== null;
  }

  /** Called before each tool result record is written. */
  beforeToolResult() {}

  /** @param {string} rel */
  abs(rel) {
    return `${this.cwd}/${rel}`;
  }

  /** The envelope fields every message record carries, in Claude's order. @param {string} type */
  envelope(type) {
    /** @type {Record<string, unknown>} */
    const base = { parentUuid: this.last, isSidechain: this.agentId !== null, userType: "external", cwd: this.cwd, sessionId: this.sessionId, version: this.version, gitBranch: this.gitBranch };
    if (this.agentId !== null) base.agentId = this.agentId;
    if (this.showSlug()) base.slug = this.slug;
    base.type = type;
    return base;
  }

  /** A file-history-snapshot record (written before each prompt). @param {string} messageId @param {object} backups @param {string} timestamp */
  snapshot(messageId, backups, timestamp) {
    this.emit({ type: "file-history-snapshot", messageId, snapshot: { messageId, trackedFileBackups: backups, timestamp }, isSnapshotUpdate: false });
  }

  /**
   * A user record with text content (a prompt, a slash command line).
   * @param {{uuid: string, timestamp: string, content: string, isMeta?: boolean, extra?: object}} r
   */
  user(r) {
    this.emit({ ...this.envelope("user"), message: { role: "user", content: r.content }, ...(r.isMeta ? { isMeta: true } : {}), uuid: r.uuid, timestamp: r.timestamp, ...r.extra });
    this.last = r.uuid;
  }

  /**
   * A local slash command as Claude records it: caveat (isMeta), command line, command output.
   * @param {string} caveat @param {string} name @param {string} args @param {string} stdout @param {number} gapMs
   */
  slashCommand(caveat, name, args, stdout, gapMs) {
    const texts = [
      [caveat, true],
      [`<command-name>/${name}</command-name>\n            <command-message>${name}</command-message>\n            <command-args>${args}</command-args>`, false],
      [`<local-command-stdout>${stdout}</local-command-stdout>`, false],
    ];
    for (const [content, isMeta] of texts) this.user({ uuid: this.ids.uuid(), content: /** @type {string} */ (content), isMeta: /** @type {boolean} */ (isMeta), timestamp: this.tick(gapMs) });
  }

  /** A thinking block with its opaque signature. @param {string} thinking */
  thinkingBlock(thinking) {
    return { type: "thinking", thinking, signature: this.ids.blob(344) };
  }

  /**
   * One assistant line per content block, all sharing one message id and request id.
   * @param {object[]} blocks @param {(block: object) => object} usage @param {(block: object) => number} gapMs
   * @param {string | null} [stopReason] `stop_reason` of every line (null while streaming, "end_turn" on a final answer)
   */
  assistant(blocks, usage, gapMs, stopReason = null) {
    const id = this.ids.messageId();
    const requestId = this.ids.requestId();
    for (const block of blocks) {
      const uuid = this.ids.uuid();
      const message = { model: this.model, id, type: "message", role: "assistant", content: [block], stop_reason: stopReason, stop_sequence: null, usage: usage(block) };
      const { type, ...env } = this.envelope("assistant");
      this.emit({ ...env, message, requestId, type, uuid, timestamp: this.tick(gapMs(block)) });
      this.last = uuid;
      const toolUse = /** @type {{type?: unknown, id?: unknown}} */ (block);
      if (this.linkToolResults && toolUse.type === "tool_use" && typeof toolUse.id === "string") this.toolUseLines.set(toolUse.id, uuid);
    }
  }

  /**
   * Tool calls issued in one assistant message (parallel when more than one), then their results in order, each
   * chained to the previous record. A `late` call's result time is taken after it ran (a subagent's whole run).
   * @param {ToolCall[]} calls @param {() => string | null} thinking
   * @param {{usage: (block: object) => object, gapMs: (block: object) => number, resultGapMs: () => number, lateGapMs: number}} timing
   */
  toolCalls(calls, thinking, timing) {
    const ids = calls.map(() => this.ids.toolUseId());
    const thought = thinking();
    /** @type {object[]} */
    const blocks = thought !== null ? [this.thinkingBlock(thought)] : [];
    calls.forEach((call, i) => blocks.push({ type: "tool_use", id: ids[i], name: call.name, input: call.input }));
    this.assistant(blocks, timing.usage, timing.gapMs);
    calls.forEach((call, i) => {
      const id = /** @type {string} */ (ids[i]);
      let timestamp = call.late ? "" : this.tick(timing.resultGapMs());
      const outcome = call.run(timestamp, id);
      if (call.late) timestamp = this.tick(timing.lateGapMs);
      const uuid = this.ids.uuid();
      const result = { tool_use_id: id, type: "tool_result", content: outcome.content, ...(outcome.isError ? { is_error: true } : {}) };
      this.beforeToolResult();
      const source = this.linkToolResults ? { sourceToolAssistantUUID: this.toolUseLines.get(id) ?? null } : {};
      this.emit({ ...this.envelope("user"), message: { role: "user", content: [result] }, uuid, timestamp, toolUseResult: outcome.toolUseResult, ...source });
      this.last = uuid;
    });
  }
}

/** `Write` of a new file. @param {string} filePath @param {string} content @returns {ToolOutcome} */
export function writeCreated(filePath, content) {
  return { content: `File created successfully at: ${filePath}`, toolUseResult: { type: "create", filePath, content, structuredPatch: [], originalFile: null } };
}

/** `Write` over an existing file. @param {string} filePath @param {string} content @param {string} before @param {object[]} hunks @param {string} message @returns {ToolOutcome} */
export function writeUpdated(filePath, content, before, hunks, message) {
  return { content: message, toolUseResult: { type: "update", filePath, content, structuredPatch: hunks, originalFile: before } };
}

/**
 * `Edit` result. @param {{filePath: string, oldString: string, newString: string, before: string, hunks: object[],
 *   replaceAll: boolean, message: string}} e @returns {ToolOutcome}
 */
export function editApplied(e) {
  return { content: e.message, toolUseResult: { filePath: e.filePath, oldString: e.oldString, newString: e.newString, originalFile: e.before, structuredPatch: e.hunks, userModified: false, replaceAll: e.replaceAll } };
}

/** `MultiEdit` result. @param {string} filePath @param {object[]} edits @param {string} before @param {object[]} hunks @param {string} message @returns {ToolOutcome} */
export function multiEditApplied(filePath, edits, before, hunks, message) {
  return { content: message, toolUseResult: { filePath, edits, originalFileContents: before, structuredPatch: hunks, userModified: false } };
}

/** A file tool's error (`String to replace not found…`): no change. @param {string} message @returns {ToolOutcome} */
export function toolError(message) {
  return { content: `<tool_use_error>${message}</tool_use_error>`, toolUseResult: `Error: ${message}`, isError: true };
}

/** `Read` result. @param {string} filePath @param {string} content @param {number} numLines @param {number} totalLines @param {string} numbered @returns {ToolOutcome} */
export function readResult(filePath, content, numLines, totalLines, numbered) {
  return { content: numbered, toolUseResult: { type: "text", file: { filePath, content, numLines, startLine: 1, totalLines } } };
}

/** `Bash` result. @param {string} stdout @returns {ToolOutcome} */
export function bashResult(stdout) {
  return { content: stdout, toolUseResult: { stdout, stderr: "", interrupted: false, isImage: false } };
}

/**
 * `Task` (subagent) result. @param {{prompt: string, agentId: string, report: string, totalDurationMs: number,
 *   totalTokens: number, totalToolUseCount: number, usage: object}} t @returns {ToolOutcome}
 */
export function taskCompleted(t) {
  const content = [{ type: "text", text: t.report }];
  return { content, toolUseResult: { status: "completed", prompt: t.prompt, agentId: t.agentId, content, totalDurationMs: t.totalDurationMs, totalTokens: t.totalTokens, totalToolUseCount: t.totalToolUseCount, usage: t.usage } };
}
