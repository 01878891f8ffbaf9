// Rebuilds a Gemini CLI conversation from either session layout: the whole `ConversationRecord` of a `.json` file
// (rewritten on every message), or the append-only `.jsonl` log — a header line, message lines written again under
// their `id` as they progress (the last write wins, in the position of the first), `{"$set": {...}}` patches of the
// header (a `messages` list replaces the messages so far) and `{"$rewindTo": id}` markers that drop that message and
// every later one. Rewound messages are returned apart: the parser still offers their edits (see parser.ts).

import { asArray, asRecord, asString, type Json } from "../../traces/common";

export interface GeminiConversation {
  sessionId: string | null;
  projectHash: string | null;
  startTime: string | null;
  lastUpdated: string | null;
  /** `main`, `subagent`, or null in files written before sessions had a kind. */
  kind: string | null;
  summary: string | null;
  directories: string[];
  /** The messages as they stand, in order, each with the byte offset of the line that last wrote it (0 in `.json`). */
  messages: { message: Json; offset: number }[];
  /** Messages a `$rewindTo` removed, in order. */
  rewound: { message: Json; offset: number }[];
  /** Lines that were not JSON objects of a known shape. */
  skipped: number;
}

function emptyConversation(): GeminiConversation {
  return { sessionId: null, projectHash: null, startTime: null, lastUpdated: null, kind: null, summary: null, directories: [], messages: [], rewound: [], skipped: 0 };
}

function applyHeader(c: GeminiConversation, h: Json): void {
  c.sessionId = asString(h.sessionId) ?? c.sessionId;
  c.projectHash = asString(h.projectHash) ?? c.projectHash;
  c.startTime = asString(h.startTime) ?? c.startTime;
  c.lastUpdated = asString(h.lastUpdated) ?? c.lastUpdated;
  c.kind = asString(h.kind) ?? c.kind;
  c.summary = asString(h.summary) ?? c.summary;
  const dirs = asArray(h.directories);
  if (dirs) c.directories = dirs.filter((d): d is string => typeof d === "string");
}

/** A message has a string `id` (what Gemini CLI itself checks). */
function isMessage(value: Json): boolean {
  return typeof value.id === "string";
}

/** The conversation of a whole `.json` session file, or null when the text is not one (truncated, other JSON). */
export function conversationFromJson(text: string): GeminiConversation | null {
  try {
    return conversationFromRecord(JSON.parse(text));
  } catch {
    return null;
  }
}

/** The conversation of a parsed `ConversationRecord`, or null when the value is not one. */
export function conversationFromRecord(value: unknown): GeminiConversation | null {
  const record = asRecord(value);
  if (!record || typeof record.sessionId !== "string") return null;
  const c = emptyConversation();
  applyHeader(c, record);
  for (const m of asArray(record.messages) ?? []) {
    const message = asRecord(m);
    if (message && isMessage(message)) c.messages.push({ message, offset: 0 });
    else c.skipped++;
  }
  return c;
}

/** Folds the records of a `.jsonl` session, in file order, into its conversation. */
export class JsonlConversation {
  private readonly c = emptyConversation();
  private readonly byId = new Map<string, { message: Json; offset: number }>();

  record(value: Json | null, offset: number): void {
    if (value === null) {
      this.c.skipped++;
      return;
    }
    if (typeof value.$rewindTo === "string") {
      this.rewind(value.$rewindTo);
      return;
    }
    const set = asRecord(value.$set);
    if (set) {
      applyHeader(this.c, set);
      const list = asArray(set.messages);
      if (list) {
        this.byId.clear();
        for (const m of list) {
          const message = asRecord(m);
          if (message && isMessage(message)) this.byId.set(message.id as string, { message, offset });
        }
      }
      return;
    }
    if (isMessage(value)) {
      const id = value.id as string;
      const known = this.byId.get(id);
      if (known) {
        known.message = value;
        known.offset = offset;
      } else this.byId.set(id, { message: value, offset });
      return;
    }
    if (typeof value.sessionId === "string") {
      applyHeader(this.c, value);
      return;
    }
    this.c.skipped++;
  }

  private rewind(id: string): void {
    // The marked message and everything after it go; an unknown id empties the conversation (as Gemini CLI does).
    let found = !this.byId.has(id);
    for (const [key, entry] of this.byId) {
      if (key === id) found = true;
      if (found) {
        this.c.rewound.push(entry);
        this.byId.delete(key);
      }
    }
  }

  finish(): GeminiConversation {
    this.c.messages = [...this.byId.values()];
    return this.c;
  }
}

/** The text of a message's `content` (a string, a part, or a list of parts; only text parts count). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  const parts = Array.isArray(content) ? content : [content];
  return parts
    .map((p) => asString(asRecord(p)?.text) ?? "")
    .filter((t) => t !== "")
    .join("\n");
}
