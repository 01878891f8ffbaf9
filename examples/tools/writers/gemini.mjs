// @ts-check
// The Gemini CLI trace-writer kit: a session as Gemini CLI records it (packages/core/src/services/chatRecordingTypes.ts
// and chatRecordingService.ts) — a ConversationRecord {sessionId, projectHash, startTime, lastUpdated, messages, kind?,
// directories?, summary?} whose `gemini` messages carry model, thoughts, tokens and toolCalls {id, name, args, result,
// status, timestamp, resultDisplay}; file tools put a FileDiff {fileDiff, fileName, filePath, originalContent,
// newContent, diffStat, isNewFile} in resultDisplay. The same operations give both layouts: the whole `.json` (as
// it stands at the end) and the append-only `.jsonl` log (header, every message write, `$set`, `$rewindTo`).
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { createTwoFilesPatch } from "diff";

/** sha256 hex of a project path: the project id of older Gemini CLI versions, and every session's projectHash. @param {string} path */
export function projectHash(path) {
  return createHash("sha256").update(path).digest("hex");
}

/** `<home>/.gemini/tmp/<project id>/chats` @param {string} home @param {string} projectId */
export function chatsDir(home, projectId) {
  return join(home, ".gemini", "tmp", projectId, "chats");
}

/** `session-<YYYY-MM-DDTHH-MM>-<first 8 of the id>` + extension. @param {string} startIso @param {string} sessionId @param {".json" | ".jsonl"} ext */
export function sessionFileName(startIso, sessionId, ext) {
  return `session-${startIso.slice(0, 16).replace(/:/g, "-")}-${sessionId.slice(0, 8)}${ext}`;
}

/** `projects.json` text for a path → slug map (as ProjectRegistry saves it). @param {Record<string, string>} projects */
export function projectsJson(projects) {
  return JSON.stringify({ projects }, null, 2);
}

/** Line counts Gemini CLI reports in `diffStat` (model_* for the proposal, user_* for what the user changed in it). */
function lineCounts(/** @type {string | null} */ before, /** @type {string} */ after) {
  const a = (before ?? "").split("\n");
  const b = after.split("\n");
  const inA = new Map();
  for (const l of a) inA.set(l, (inA.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of b) {
    const n = inA.get(l) ?? 0;
    if (n > 0) inA.set(l, n - 1);
    else added++;
  }
  const removed = [...inA.values()].reduce((s, n) => s + n, 0);
  return { added, removed };
}

/**
 * A FileDiff result display. `proposal` (the model's version) differs from `after` when the user modified it.
 * @param {{filePath: string, before: string | null, after: string, proposal?: string}} f
 */
export function fileDiff(f) {
  const name = basename(f.filePath);
  const model = lineCounts(f.before, f.proposal ?? f.after);
  const user = f.proposal === undefined ? { added: 0, removed: 0 } : lineCounts(f.proposal, f.after);
  return {
    fileDiff: createTwoFilesPatch(`${name}\tOriginal`, `${name}\tWritten`, f.before ?? "", f.after, "Current", "Proposed"),
    fileName: name,
    filePath: f.filePath,
    originalContent: f.before,
    newContent: f.after,
    diffStat: {
      model_added_lines: model.added, model_removed_lines: model.removed, model_added_chars: 0, model_removed_chars: 0,
      user_added_lines: user.added, user_removed_lines: user.removed, user_added_chars: 0, user_removed_chars: 0,
    },
    isNewFile: f.before === null,
  };
}

/** The functionResponse parts Gemini CLI records as a tool call's `result`. @param {string} id @param {string} name @param {string} output */
export function functionResult(id, name, output) {
  return [{ functionResponse: { id, name, response: { output } } }];
}

export class GeminiSession {
  /**
   * `projectHash` replaces the hash of `projectPath` (a template's placeholder).
   * @param {{sessionId: string, projectPath: string, startTime: string, kind?: "main" | "subagent", directories?: string[], projectHash?: string}} o
   */
  constructor(o) {
    /** @type {Record<string, unknown>} */
    this.header = { sessionId: o.sessionId, projectHash: o.projectHash ?? projectHash(o.projectPath), startTime: o.startTime, lastUpdated: o.startTime };
    if (o.kind) this.header.kind = o.kind;
    if (o.directories) this.header.directories = o.directories;
    /** Every record appended to the `.jsonl`, in order. @type {object[]} */
    this.log = [{ ...this.header }];
    /** The messages as they stand. @type {Map<string, Record<string, unknown>>} */
    this.messages = new Map();
  }

  /** Writes (or writes again) a message under its id. @param {Record<string, unknown>} message */
  put(message) {
    const id = /** @type {string} */ (message.id);
    this.messages.set(id, message);
    this.log.push(message);
    this.set({ lastUpdated: message.timestamp });
  }

  /** A header patch (`$set`). @param {Record<string, unknown>} patch */
  set(patch) {
    Object.assign(this.header, patch);
    this.log.push({ $set: patch });
  }

  /** A human prompt. @param {string} id @param {string} timestamp @param {string} text */
  user(id, timestamp, text) {
    this.put({ id, timestamp, type: "user", content: [{ text }] });
  }

  /**
   * A model turn. @param {string} id @param {string} timestamp @param {string} model
   * @param {{content?: string, toolCalls?: object[], thoughts?: object[], tokens?: object}} [body]
   */
  gemini(id, timestamp, model, body = {}) {
    this.put({ id, timestamp, type: "gemini", content: body.content ?? "", thoughts: body.thoughts ?? [], tokens: body.tokens ?? { input: 1200, output: 80, cached: 0, thoughts: 40, tool: 0, total: 1320 }, model, toolCalls: body.toolCalls ?? [] });
  }

  /** Drops the message `id` and every later one (`/rewind`). @param {string} id */
  rewindTo(id) {
    let found = false;
    for (const key of [...this.messages.keys()]) {
      if (key === id) found = true;
      if (found) this.messages.delete(key);
    }
    this.log.push({ $rewindTo: id });
  }

  /** The whole ConversationRecord as the `.json` layout writes it (pretty-printed). */
  json() {
    return `${JSON.stringify({ ...this.header, messages: [...this.messages.values()] }, null, 2)}\n`;
  }

  /** The `.jsonl` log. */
  jsonl() {
    return this.log.map((r) => `${JSON.stringify(r)}\n`).join("");
  }
}

/**
 * A `write_file` tool call. `proposal`: the model's content when the user modified it (recorded in
 * `args.ai_proposed_content`, `args.modified_by_user`). `display: false` leaves out resultDisplay.
 * @param {{id: string, timestamp: string, filePath: string, argPath?: string, before: string | null, after: string,
 *   proposal?: string, status?: string, display?: boolean}} c
 */
export function writeFileCall(c) {
  /** @type {Record<string, unknown>} */
  const args = { file_path: c.argPath ?? c.filePath, content: c.after };
  if (c.proposal !== undefined) Object.assign(args, { modified_by_user: true, ai_proposed_content: c.proposal });
  const ok = (c.status ?? "success") === "success";
  /** @type {Record<string, unknown>} */
  const call = {
    id: c.id, name: "write_file", args,
    result: functionResult(c.id, "write_file", ok ? `Successfully ${c.before === null ? "created and wrote to new file" : "overwrote file"}: ${c.filePath}.` : "Error: permission denied"),
    status: c.status ?? "success", timestamp: c.timestamp, displayName: "WriteFile", description: "Writes content to a specified file.", renderOutputAsMarkdown: true,
  };
  if (c.display !== false) call.resultDisplay = ok ? fileDiff({ filePath: c.filePath, before: c.before, after: c.after, proposal: c.proposal }) : "Error: permission denied";
  return call;
}

/**
 * A `replace` tool call of `oldString` by `newString` in a file whose contents were `before`.
 * @param {{id: string, timestamp: string, filePath: string, before: string, oldString: string, newString: string, status?: string}} c
 */
export function replaceCall(c) {
  const after = c.before.replace(c.oldString, () => c.newString);
  const ok = (c.status ?? "success") === "success";
  return {
    id: c.id, name: "replace", args: { file_path: c.filePath, old_string: c.oldString, new_string: c.newString, instruction: "Apply the requested change." },
    result: functionResult(c.id, "replace", ok ? `Successfully modified file: ${c.filePath} (1 replacements).` : "Error: could not find the string to replace."),
    status: c.status ?? "success", timestamp: c.timestamp,
    resultDisplay: ok ? fileDiff({ filePath: c.filePath, before: c.before, after }) : "Error: could not find the string to replace.",
    displayName: "Edit", description: "Replaces text within a file.", renderOutputAsMarkdown: true,
  };
}
