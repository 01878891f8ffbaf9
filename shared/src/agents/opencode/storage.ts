// opencode's JSON storage before 1.2: `storage/session/<projectID>/<sessionID>.json`, the session's messages in
// `storage/message/<sessionID>/<messageID>.json` and each message's parts in `storage/part/<messageID>/<partID>.json`.
// A session file stands for its whole session; unreadable or malformed files are counted and skipped.

import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { asRecord, asString, type Json } from "../../traces/common";
import type { OpencodeSession } from "./events";

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(".json")).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

async function readJson(path: string): Promise<Json | null> {
  try {
    return asRecord(JSON.parse(await readFile(path, "utf8"))) ?? null;
  } catch {
    return null;
  }
}

/** The session a `storage/session/<project>/<id>.json` file describes, with its messages and parts. */
export async function readStorageSession(sessionFile: string): Promise<{ session: OpencodeSession | null; skipped: number; bytes: number }> {
  const info = await readJson(sessionFile);
  const id = asString(info?.id);
  if (!info || !id) return { session: null, skipped: 1, bytes: 0 };
  const storage = dirname(dirname(dirname(sessionFile)));
  let skipped = 0;
  let bytes = 0;
  const messages: OpencodeSession["messages"] = [];
  for (const file of await jsonFiles(join(storage, "message", id))) {
    const message = await readJson(file);
    if (!message || typeof message.id !== "string") {
      skipped++;
      continue;
    }
    const parts: Json[] = [];
    for (const partFile of await jsonFiles(join(storage, "part", message.id))) {
      const part = await readJson(partFile);
      if (part) parts.push(part);
      else skipped++;
    }
    messages.push({ info: message, parts });
    bytes++;
  }
  const created = (m: Json): number => {
    const t = asRecord(m.time)?.created;
    return typeof t === "number" ? t : 0;
  };
  messages.sort((a, b) => created(a.info) - created(b.info) || String(a.info.id).localeCompare(String(b.info.id)));
  return {
    session: { id, directory: asString(info.directory) ?? null, parentID: asString(info.parentID) ?? null, version: asString(info.version) ?? null, created: created(info) || null, messages },
    skipped,
    bytes,
  };
}

/** Whether a path is a session file of the JSON storage. */
export function isStorageSession(path: string): boolean {
  return basename(dirname(dirname(path))) === "session" && path.endsWith(".json");
}
