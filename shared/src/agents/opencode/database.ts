// opencode's SQLite database from 1.2 (`opencode.db`, WAL mode, written while opencode runs): opened read-only with
// Node's built-in `node:sqlite` (Node 22.5 and later; the wheels' executable embeds Node 24) — no native add-on
// enters the bundles. Rows keep their JSON in a `data` column (messages, parts; sessions also as columns). A reader
// never takes a write lock, and WAL readers do not block opencode. On a Node without `node:sqlite` the database is
// reported unreadable with a one-line reason.

import { asRecord, asString, type Json } from "../../traces/common";
import type { OpencodeSession } from "./events";

interface Statement {
  all(...params: unknown[]): Record<string, unknown>[];
}
interface Database {
  prepare(sql: string): Statement;
  close(): void;
}
type SqliteModule = { DatabaseSync: new (path: string, options: { readOnly: boolean }) => Database };

let sqlite: Promise<SqliteModule | null> | null = null;

/** `node:sqlite`, or null on a Node that does not have it. */
function loadSqlite(): Promise<SqliteModule | null> {
  // process.getBuiltinModule (Node 20.16+, 22.3+) works wherever the code runs — also inside the CLI launcher's
  // vm.Script, where a dynamic import() has no loader — and answers undefined for a module this Node lacks.
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  let found: SqliteModule | null = null;
  try {
    found = (getBuiltin?.call(process, "node:sqlite") as SqliteModule | undefined) ?? null;
  } catch {
    found = null;
  }
  sqlite ??= Promise.resolve(found);
  return sqlite;
}

export function sqliteUnavailable(): string {
  return `reading opencode.db needs Node.js 22.5 or later (node:sqlite); this is Node ${process.versions.node}`;
}

function json(value: unknown): Json | null {
  if (typeof value !== "string") return null;
  try {
    return asRecord(JSON.parse(value)) ?? null;
  } catch {
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);

/**
 * The sessions of the database whose directory `keep` accepts, with messages and parts in order. Throws (with the
 * reason) when the database cannot be opened or read; `skipped` counts rows whose JSON does not parse.
 */
export async function readDatabase(path: string, keep: (directory: string | null) => boolean): Promise<{ sessions: OpencodeSession[]; skipped: number }> {
  const module = await loadSqlite();
  if (module === null) throw new Error(sqliteUnavailable());
  const db = new module.DatabaseSync(path, { readOnly: true });
  try {
    let skipped = 0;
    const sessions: OpencodeSession[] = [];
    for (const row of db.prepare("SELECT * FROM session").all()) {
      const data = json(row.data) ?? {};
      const id = asString(row.id) ?? asString(data.id);
      if (!id) {
        skipped++;
        continue;
      }
      const directory = asString(row.directory) ?? asString(data.directory) ?? null;
      if (!keep(directory)) continue;
      const parts = new Map<string, Json[]>();
      for (const p of db.prepare("SELECT id, message_id, data FROM part WHERE session_id = ? ORDER BY time_created, id").all(id)) {
        const part = json(p.data);
        if (!part) {
          skipped++;
          continue;
        }
        const messageId = String(p.message_id);
        parts.set(messageId, [...(parts.get(messageId) ?? []), { id: p.id, ...part }]);
      }
      const messages: OpencodeSession["messages"] = [];
      for (const m of db.prepare("SELECT id, time_created, data FROM message WHERE session_id = ? ORDER BY time_created, id").all(id)) {
        const info = json(m.data);
        if (!info) {
          skipped++;
          continue;
        }
        messages.push({ info: { id: m.id, ...info }, parts: parts.get(String(m.id)) ?? [] });
      }
      const time = asRecord(data.time);
      sessions.push({
        id,
        directory,
        parentID: asString(row.parent_id) ?? asString(data.parentID) ?? null,
        version: asString(row.version) ?? asString(data.version) ?? null,
        created: num(row.time_created) ?? num(time?.created),
        messages,
      });
    }
    return { sessions, skipped };
  } finally {
    db.close();
  }
}
