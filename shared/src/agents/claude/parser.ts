// Claude Code session parser: pairs each file tool_use (Write, Edit, MultiEdit, NotebookEdit, Bash heredoc writes)
// with its tool_result by id and emits one edit event per successful call, with the model of the issuing assistant
// record and the human prompt behind it. Only lines that can matter are JSON-parsed; the uuid chain of the others is
// read from their bytes, so the model and prompt stay right across parallel calls. All state needed to resume after
// an append is JSON-serialisable and bounded.

import { basename } from "node:path";
import { Fingerprinter } from "../../attribution/fingerprint";
import type { EditEvent, SessionInfo } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { resolveAgentPath } from "../../util/paths";
import { CLAUDE_EDIT_TOOLS, claudeEdit, inferToolName, slimInput, type EditSpec } from "./edits";
import { assistantMessage, contentToolCalls, PARENT_NULL, PARENT_UNKNOWN, peekTopLevelUuid, readClaudeHead, toolCallsOf, type ClaudeHead, type ToolCall } from "./line-head";
import { cutResultTokens, placeholder, type ResultToken, type TokenField } from "./result-tokens";
import { ClaudeState, type Pending } from "./state";
import { contentBlocks, decodeResult, humanText } from "./user-content";
import { addModel, asArray, asRecord, asString, boundedSet, eventId, normalizeTimestamp, promptSnippet, touchSession, type Json } from "../../traces/common";
import { compactLayout, contains, needle, parseJsonObject, peekAllStrings, peekString, stringAt } from "../../traces/jsonl-reader";
import { parseLines, type LineRun } from "../../traces/line-run";
import type { ParseInput, ParseOutput, TraceParser } from "../../traces/parser";
import { findHeredocWrites } from "../../traces/shell-heredoc";
import { findFileMoves } from "../../traces/shell-moves";

const N = {
  toolUse: needle('"tool_use"'),
  toolUseId: needle('"tool_use_id":"'),
  resultObject: needle('"toolUseResult":{'),
  structuredPatch: needle('"structuredPatch"'),
  oldString: needle('"oldString"'),
  toolUseBlock: needle('"type":"tool_use","id":"'),
  nameAfterId: needle('","name":"'),
  typeUser: needle('"type":"user"'),
  typeAssistant: needle('"type":"assistant"'),
  typeProgress: needle('"type":"progress"'),
  sessionId: needle('"sessionId"'),
  parentUuid: needle('"parentUuid":"'),
  timestamp: needle('"timestamp":"'),
  model: needle('"model":"'),
  editNames: ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash"].map((n) => needle(`"name":"${n}"`)),
  /** What a Bash command needs to write a file (findHeredocWrites) or rename one (findFileMoves), or a `\u` escape. */
  bashEdits: ["<<", "mv", "\\u"].map(needle),
};

/** Above this many pending calls, a result line's ids are read in one pass instead of searched for one by one. */
const MAX_ID_SEARCHES = 8;
/** Non-edit tool call ids remembered per parse (their results skip the edit-shape check). */
const NON_EDIT_CAP = 4096;

export class ClaudeTraceParser implements TraceParser {
  readonly agent = "claude-code" as const;

  /** Shared by every trace read: sessions edit the same files, so a file's versions are derived from each other. */
  private readonly fingerprints = new Fingerprinter();

  async parse(input: ParseInput): Promise<ParseOutput> {
    const run = new ClaudeRun(input.path, ClaudeState.restore(input.state, input.path), input.contents, this.fingerprints);
    return parseLines(input, run);
  }
}

class ClaudeRun implements LineRun {
  readonly events: EditEvent[] = [];
  skipped = 0;
  private readonly fileName: string;
  /** Ids of this file's tool calls that cannot edit: their results are never parsed (not part of the state). */
  private readonly nonEditCalls = new Map<string, true>();
  /** Where the line being read holds its first `"tool_use_id":"` (the prefilter's search), or -1: none or not searched. */
  private resultAt = -1;

  constructor(
    private readonly path: string,
    readonly state: ClaudeState,
    private readonly contents: ContentStore,
    private readonly fingerprints: Fingerprinter,
  ) {
    this.fileName = basename(path);
  }

  finish(): { sessions: SessionInfo[]; state: unknown } {
    return { sessions: this.state.sessionList(), state: this.state.serialize() };
  }

  line(line: Buffer, offset: number): void {
    let first = 0;
    while (first < line.length && (line[first] === 0x20 || line[first] === 0x09)) first++;
    if (first === line.length) return;
    if (line[first] !== 0x7b) {
      this.skipped++;
      return;
    }
    // The prefilter reads Claude Code's compact layout; a line in another one is parsed whole.
    const compact = compactLayout(line, first);
    this.resultAt = -1;
    if (compact && this.prefiltered(line, first)) return;
    // Only a tool result's line can hold the whole-file texts the cut takes out: another line (an edit call, a prompt)
    // is not searched for them, and parses whole as it would when the cut finds none.
    const cut = compact && this.resultAt !== -1 ? this.cutTokens(line, offset) : null;
    const record = cut !== null ? cut.record : parseJsonObject(line);
    if (!record || typeof record.type !== "string") {
      this.skipped++;
      return;
    }
    this.record(record, offset, cut?.tokens);
  }

  /**
   * A large result line with its whole-file texts cut out (left in the trace as references) and the rest parsed; null
   * when the store takes no references or the line is not in the layout that reading relies on (it is parsed whole).
   */
  private cutTokens(line: Buffer, offset: number): { record: Json; tokens: Map<TokenField, ResultToken> } | null {
    if (this.contents.putRef === undefined) return null;
    const cut = cutResultTokens(line, this.path, offset);
    if (cut === null) return null;
    const record = parseJsonObject(cut.line);
    const result = asRecord(record?.toolUseResult);
    // Each placeholder must stand where its text stood: the value of its field in the top-level result.
    for (const field of cut.tokens.keys()) if (result?.[field] !== placeholder(field)) return null;
    return record === undefined ? null : { record, tokens: cut.tokens };
  }

  /**
   * Dispatches a compact line on its head (one pass over its first bytes): an assistant line is classified by one walk
   * over its tool_use blocks, a record that is neither user nor assistant is only linked; true when the line was
   * peeked and needs no parse. Results, prompts and heads the readers do not recognise take the needle searches.
   */
  private prefiltered(line: Buffer, first: number): boolean {
    const head = readClaudeHead(line, first);
    if (head !== undefined && (head.type === "assistant" || (head.type === undefined && head.assistantMessage))) {
      const message = head.assistantMessage ? assistantMessage(line, head.member) : undefined;
      const calls = message !== undefined ? contentToolCalls(line, message.contentAt) : toolCallsOf(line);
      if (calls !== undefined) {
        if (!this.state.headComplete() && contains(line, N.sessionId)) return false;
        // Indexed loops, not callbacks: this runs for every assistant line, many before the optimizing compiler does.
        for (let i = 0; i < calls.length; i++) if (mayEdit(line, calls[i]!)) return false;
        for (let i = 0; i < calls.length; i++) {
          const { id, name } = calls[i]!;
          if (id !== "" && name !== "") this.noteNonEdit(id);
        }
        this.peek(line, -1, true, head, message?.modelAt ?? -1);
        return true;
      }
    } else if (head?.type !== undefined && head.type !== "user") {
      // Neither user nor assistant: its parse would only link its uuid (or read the session head).
      if (!this.state.headComplete() && contains(line, N.sessionId)) return false;
      this.peek(line, -1, false, head);
      return true;
    }
    const resultAt = line.indexOf(N.toolUseId);
    this.resultAt = resultAt;
    if (this.shouldParse(line, resultAt)) return false;
    this.peek(line, resultAt, undefined, head);
    return true;
  }

  /**
   * The byte prefilter: only tool calls that can edit, their results, prompts and the session head are parsed.
   * A tool_result line (usually the bulk of a trace: file reads, command output) is parsed only when it answers a
   * pending edit call, or when its call is not a known non-edit call of this file and its result has an edit's shape.
   */
  private shouldParse(line: Buffer, at: number): boolean {
    if (at !== -1) {
      if (this.answersPending(line, at)) return true;
      const first = stringAt(line, at + N.toolUseId.length);
      if (first !== undefined && this.nonEditCalls.has(first)) return false;
      // A result whose call is in an earlier file (resume): parse it only if it has the shape of a file edit.
      return contains(line, N.resultObject) && (contains(line, N.structuredPatch) || contains(line, N.oldString));
    }
    if (contains(line, N.toolUse)) {
      if (N.editNames.some((n) => contains(line, n))) return true;
      this.noteNonEditCalls(line);
      return false;
    }
    if (contains(line, N.typeUser)) return true;
    return !this.state.headComplete() && contains(line, N.sessionId);
  }

  /** Whether a result line answers a pending call: a search for each pending id (few), else one pass over all ids. */
  private answersPending(line: Buffer, from: number): boolean {
    const pending = this.state.pending;
    if (pending.size === 0) return false;
    if (pending.size > MAX_ID_SEARCHES) return peekAllStrings(line, N.toolUseId).some((id) => pending.has(id));
    for (const id of pending.keys()) {
      if (line.indexOf(`"tool_use_id":"${id}"`, from, "utf8") !== -1) return true;
    }
    return false;
  }

  /** Remembers the ids of the tool calls of an assistant line that is not parsed (none of them can edit). */
  private noteNonEditCalls(line: Buffer): void {
    let at = line.indexOf(N.toolUseBlock);
    while (at !== -1) {
      const idStart = at + N.toolUseBlock.length;
      const idEnd = line.indexOf(0x22, idStart);
      if (idEnd === -1) return;
      // Only the layout Claude Code writes (`"id":"…","name":"…"`) is trusted; anything else keeps the shape check.
      const nameStart = idEnd + N.nameAfterId.length;
      if (line.subarray(idEnd, nameStart).equals(N.nameAfterId) && line[idEnd - 1] !== 0x5c) {
        const nameEnd = line.indexOf(0x22, nameStart);
        const name = nameEnd === -1 ? "" : line.toString("latin1", nameStart, nameEnd);
        if (name !== "" && !CLAUDE_EDIT_TOOLS.has(name) && name !== "Bash") this.noteNonEdit(line.toString("latin1", idStart, idEnd));
      }
      at = line.indexOf(N.toolUseBlock, idEnd);
    }
  }

  private noteNonEdit(id: string): void {
    boundedSet(this.nonEditCalls, id, true, NON_EDIT_CAP);
  }

  /**
   * Records the uuid link (and model, session times) of a line that is not parsed. `assistant` is whether it is an
   * assistant record, when its head said so; otherwise it is judged by needles. The parent and model are read where
   * the head walk found them (`modelAt`: the text of the message's model), else searched for.
   */
  private peek(line: Buffer, resultAt: number, assistant?: boolean, head?: ClaudeHead, modelAt = -1): void {
    const isResult = resultAt !== -1;
    const found = peekTopLevelUuid(line, resultAt);
    // The record's own timestamp follows its uuid; without that layout, the last timestamp in the line.
    const timestamp = normalizeTimestamp(found?.timestamp ?? peekString(line, N.timestamp, true));
    const session = this.state.currentSession();
    if (session) touchSession(session, timestamp);
    if (found === undefined) return;
    const parentAt = head?.parentAt ?? PARENT_UNKNOWN;
    const parent = parentAt >= 0 ? (stringAt(line, parentAt) ?? null) : parentAt === PARENT_NULL ? null : (peekString(line, N.parentUuid) ?? null);
    let model: string | null = null;
    // A tool result is a user record: an assistant inside its result (a subagent's transcript) is not this session's.
    if (assistant ?? (!isResult && contains(line, N.typeAssistant) && !contains(line, N.typeProgress))) {
      const m = modelAt >= 0 ? stringAt(line, modelAt) : peekString(line, N.model);
      if (m && m !== "<synthetic>") {
        model = m;
        this.state.model = m;
        if (session) addModel(session, m);
      }
    }
    this.state.link(found.uuid, parent, null, model);
  }

  private record(rec: Json, offset: number, tokens?: ReadonlyMap<TokenField, ResultToken>): void {
    const session = this.state.sessionFor(rec, this.fileName, this.path);
    const timestamp = normalizeTimestamp(rec.timestamp);
    touchSession(session, timestamp);
    const uuid = asString(rec.uuid);
    const parent = asString(rec.parentUuid) ?? null;
    if (rec.type === "assistant") this.assistant(rec, uuid, parent, session);
    else if (rec.type === "user") this.user(rec, uuid, parent, session, timestamp, offset, tokens);
    else if (uuid !== undefined) this.state.link(uuid, parent, null, null);
  }

  private assistant(rec: Json, uuid: string | undefined, parent: string | null, session: SessionInfo): void {
    const message = asRecord(rec.message);
    const raw = asString(message?.model);
    const model = raw && raw !== "<synthetic>" ? raw : null;
    if (model) {
      this.state.model = model;
      addModel(session, model);
    }
    if (uuid !== undefined) this.state.link(uuid, parent, null, model);
    const promptId = (uuid !== undefined ? this.state.promptOf(uuid) : this.state.promptOf(parent)) ?? this.state.lastPrompt;
    const callModel = model ?? this.state.modelOf(parent);
    const cwd = asString(rec.cwd) ?? session.cwd;
    for (const item of asArray(message?.content) ?? []) {
      const block = asRecord(item);
      if (block?.type !== "tool_use") continue;
      const id = asString(block.id);
      const name = asString(block.name);
      const input = asRecord(block.input);
      if (!id || !name) continue;
      const pending: Pending = { name, model: callModel, promptId, input: null, writes: null };
      if (CLAUDE_EDIT_TOOLS.has(name)) {
        pending.input = slimInput(input);
      } else if (name === "Bash") {
        const command = asString(input?.command);
        const writes = command ? findHeredocWrites(command) : [];
        const resolved = new Map<string, string>();
        for (const w of writes) {
          const file = resolveAgentPath(w.path, cwd);
          if (file !== null) resolved.set(file, w.content);
        }
        const moves = command ? resolveMoves(findFileMoves(command), cwd) : [];
        if (resolved.size === 0 && moves.length === 0) {
          this.noteNonEdit(id);
          continue;
        }
        pending.writes = [...resolved].map(([file, content]) => ({ path: file, content }));
        if (moves.length > 0) pending.moves = moves;
      } else {
        this.noteNonEdit(id);
        continue;
      }
      this.state.addPending(id, pending);
    }
  }

  private user(
    rec: Json,
    uuid: string | undefined,
    parent: string | null,
    session: SessionInfo,
    timestamp: string | undefined,
    offset: number,
    tokens?: ReadonlyMap<TokenField, ResultToken>,
  ): void {
    const content = asRecord(rec.message)?.content;
    const { blocks, results } = contentBlocks(content);
    if (results.length === 0) {
      const text = rec.isMeta === true || rec.isCompactSummary === true ? null : humanText(content, blocks);
      if (text === null) {
        if (uuid !== undefined) this.state.link(uuid, parent, null, null);
        return;
      }
      const promptId = uuid ?? `${this.path}:${offset}`;
      const snippet = promptSnippet(text);
      this.state.addPrompt(promptId, snippet);
      if (uuid !== undefined) this.state.link(uuid, parent, promptId, null);
      if (session.firstPrompt === null) session.firstPrompt = snippet;
      return;
    }
    if (uuid !== undefined) this.state.link(uuid, parent, null, null);
    const toolUseResult = decodeResult(rec.toolUseResult);
    for (const block of results) {
      const id = asString(block.tool_use_id);
      if (!id) continue;
      const pending = this.state.takePending(id);
      const result = results.length === 1 ? toolUseResult : undefined;
      if (block.is_error === true || typeof result === "string") continue;
      const resultObject = asRecord(result);
      const name = pending?.name ?? (resultObject ? inferToolName(resultObject) : null);
      if (!name) continue;
      if (timestamp === undefined) {
        this.skipped++;
        continue;
      }
      const model =
        pending?.model ??
        this.state.modelOf(asString(rec.sourceToolAssistantUUID) ?? null) ??
        this.state.modelOf(parent) ??
        this.state.model ??
        "unknown";
      const promptId = pending?.promptId ?? this.state.promptOf(parent) ?? this.state.lastPrompt;
      const base = { id, model, promptId, timestamp, offset, session };
      if (pending?.writes) {
        if (resultObject?.interrupted === true) continue;
        // A rename carries the file's history: DELETED at the old path, CREATED at the new one (as Codex moves).
        for (const m of pending.moves ?? []) {
          this.emit(base, "shell", { path: m.from, action: "DELETED", change: { movedTo: m.to }, changeSize: 0 });
          this.emit(base, "shell", { path: m.to, action: "CREATED", change: { movedFrom: m.from }, changeSize: 0 });
        }
        for (const w of pending.writes) {
          const spec: EditSpec = {
            path: w.path,
            action: "EDITED",
            change: { after: this.contents.put(w.content), afterFp: this.fingerprints.of(w.content, w.path) },
            changeSize: w.content.length,
          };
          this.emit(base, "shell", spec);
        }
        continue;
      }
      const spec = claudeEdit(name, pending?.input ?? undefined, resultObject, this.contents, this.fingerprints, result === undefined ? undefined : tokens);
      if (spec === null) {
        this.skipped++;
        continue;
      }
      this.emit(base, name, spec);
    }
  }

  private emit(
    base: { id: string; model: string; promptId: string | null; timestamp: string; offset: number; session: SessionInfo },
    toolName: string,
    spec: EditSpec,
  ): void {
    const file = resolveAgentPath(spec.path, base.session.cwd);
    if (file === null) {
      this.skipped++;
      return;
    }
    const { session } = base;
    this.events.push({
      id: eventId("claude-code", session.sessionId, base.id, file),
      file,
      action: spec.action,
      timestamp: base.timestamp,
      model: base.model,
      agent: "claude-code",
      agentVersion: session.agentVersion,
      sessionId: session.sessionId,
      parentSessionId: session.parentSessionId,
      subagentId: session.subagentId,
      traceFile: this.path,
      traceOffset: base.offset,
      toolCallId: base.id,
      toolName,
      promptId: base.promptId,
      promptText: base.promptId !== null ? (this.state.promptText(base.promptId) ?? null) : null,
      changeSize: spec.changeSize,
      change: spec.change,
    });
  }
}

/**
 * Whether a tool call of an assistant line can edit files: a file tool, or a Bash call whose bytes from its id on hold
 * what a heredoc write or a rename needs (`<<`, `mv`) or an escape that could spell either. Most Bash calls hold
 * neither: their lines (a fifth of those parsed at 1 GB) are then peeked like any other non-edit call's.
 */
function mayEdit(line: Buffer, call: ToolCall): boolean {
  if (CLAUDE_EDIT_TOOLS.has(call.name)) return true;
  if (call.name !== "Bash") return false;
  for (let i = 0; i < N.bashEdits.length; i++) if (line.indexOf(N.bashEdits[i]!, call.at) !== -1) return true;
  return false;
}

/** Shell renames with both paths resolved against the command's working directory (unplaceable ones dropped). */
function resolveMoves(moves: { from: string; to: string }[], cwd: string | null): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const m of moves) {
    const from = resolveAgentPath(m.from, cwd);
    const to = resolveAgentPath(m.to, cwd);
    if (from !== null && to !== null && from !== to) out.push({ from, to });
  }
  return out;
}
