// @ts-check
// The opencode trace-writer kit: sessions, messages and parts in opencode's shapes — session {id, projectID,
// directory, parentID?, title, version, time{created, updated}}, message {id, sessionID, role, time{created},
// modelID, providerID (assistant) / model{providerID, modelID} (user)}, part {id, sessionID, messageID, type, …}
// with tool parts {type: "tool", callID, tool, state{status, input, output, metadata, time{start, end}}} — written
// as the JSON storage of opencode before 1.2 (storage/session|message|part/…json) or as the SQL of its 1.2+
// database (`opencode.db`: tables session, message, part with a JSON `data` column).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {{id: string, projectID: string, directory: string, parentID?: string, title: string, version: string, time: {created: number, updated: number}}} Session
 * @typedef {{info: Record<string, unknown>, parts: Record<string, unknown>[]}} Message
 */

export class OpencodeSession {
  /** @param {Session} info */
  constructor(info) {
    this.info = info;
    /** @type {Message[]} */
    this.messages = [];
    this.counter = 0;
  }

  /** @param {string} kind */
  nextId(kind) {
    this.counter += 1;
    return `${kind}_${this.info.id.slice(4, 12)}${String(this.counter).padStart(14, "0")}`;
  }

  /** @param {number} at @param {string} text @param {{providerID: string, modelID: string}} model */
  user(at, text, model) {
    const id = this.nextId("msg");
    this.messages.push({
      info: { id, sessionID: this.info.id, role: "user", time: { created: at }, agent: "build", model },
      parts: [{ id: this.nextId("prt"), sessionID: this.info.id, messageID: id, type: "text", text }],
    });
  }

  /** An assistant message with tool parts. @param {number} at @param {string} providerID @param {string} modelID @param {Record<string, unknown>[]} tools */
  assistant(at, providerID, modelID, tools) {
    const id = this.nextId("msg");
    const parts = tools.map((t) => ({ id: this.nextId("prt"), sessionID: this.info.id, messageID: id, ...t }));
    this.messages.push({
      info: { id, sessionID: this.info.id, role: "assistant", time: { created: at, completed: at + 5_000 }, parentID: this.messages.at(-1)?.info.id, modelID, providerID, mode: "build", path: { cwd: this.info.directory, root: this.info.directory }, cost: 0, tokens: { input: 1200, output: 90, reasoning: 0, cache: { read: 0, write: 0 } } },
      parts,
    });
  }

  /** The pre-1.2 JSON storage files, by path relative to opencode's data folder (compact JSON, one line each). */
  storageFiles() {
    /** @type {Map<string, string>} */
    const files = new Map();
    const put = (/** @type {string} */ rel, /** @type {unknown} */ value) => files.set(rel, `${JSON.stringify(value)}\n`);
    put(`storage/session/${this.info.projectID}/${this.info.id}.json`, this.info);
    for (const m of this.messages) {
      put(`storage/message/${this.info.id}/${m.info.id}.json`, m.info);
      for (const p of m.parts) put(`storage/part/${m.info.id}/${p.id}.json`, p);
    }
    return files;
  }

  /** Writes the pre-1.2 JSON storage under `<data>/storage`. @param {string} data */
  writeStorage(data) {
    for (const [rel, text] of this.storageFiles()) {
      mkdirSync(join(data, rel, ".."), { recursive: true });
      writeFileSync(join(data, rel), text);
    }
  }

  /** The SQL inserting this session into an opencode 1.2+ database. */
  sql() {
    const q = (/** @type {unknown} */ v) => (typeof v === "number" ? String(v) : v === null || v === undefined ? "NULL" : `'${String(v).replace(/'/g, "''")}'`);
    const s = this.info;
    const rows = [`INSERT INTO session (id, project_id, parent_id, directory, title, version, time_created, time_updated) VALUES (${[s.id, s.projectID, s.parentID ?? null, s.directory, s.title, s.version, s.time.created, s.time.updated].map(q).join(", ")});`];
    for (const m of this.messages) {
      const { id, sessionID, ...data } = m.info;
      const at = /** @type {{created: number}} */ (m.info.time).created;
      rows.push(`INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (${[id, sessionID, at, at, JSON.stringify(data)].map(q).join(", ")});`);
      for (const p of m.parts) {
        const { id: pid, sessionID: psid, messageID, ...pdata } = p;
        rows.push(`INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (${[pid, messageID, psid, at, at, JSON.stringify(pdata)].map(q).join(", ")});`);
      }
    }
    return rows.join("\n");
  }
}

/** The tables of opencode's database that ai-blame reads. */
export const OPENCODE_SCHEMA = [
  "CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);",
  "CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT, slug TEXT, directory TEXT NOT NULL, title TEXT NOT NULL, version TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);",
  "CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);",
  "CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);",
].join("\n");

/**
 * A completed tool part. `metadata` as opencode records it (edit: {filediff: {file, before?, after?, patch?,
 * additions, deletions}, diff}; write: {exists}; apply_patch: {files?}).
 * @param {string} callID @param {string} tool @param {Record<string, unknown>} input @param {Record<string, unknown>} metadata @param {number} at
 */
export function toolPart(callID, tool, input, metadata, at, status = "completed") {
  return { type: "tool", callID, tool, state: { status, input, output: status === "completed" ? "Edit applied successfully." : "", title: String(input.filePath ?? ""), metadata, time: { start: at, end: at + 40 } } };
}
