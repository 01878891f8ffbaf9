// History entries as annotations store them (the reference's `edit_history` items, field order kept) and the merge
// rule every in-file writer shares. Merging is keyed by instant: new entries replace existing entries of the same
// instant, other existing entries stay, the result is sorted by time — so a second run with the same events is a no-op.

import { stringify } from "yaml";
import type { EditEvent } from "../events/edit-event";
import { safeHistoryText } from "./escape";

/** One `edit_history` item. Keys are snake_case because they are a file format shared with the reference. */
export interface HistoryEntry {
  timestamp: string;
  model: string;
  action: "CREATED" | "EDITED" | "DELETED";
  agent_tool: string;
  agent_version?: string;
  session_id?: string;
}

/** An item read back from a file: whatever keys it has, in their order. */
export type StoredEntry = Record<string, unknown>;

/** RFC 3339 UTC with `Z`; milliseconds only when non-zero (as the reference writes them). */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * History entries of one file's events, in the order given (callers pass them oldest first). Every value is trace
 * text and is restricted to the safe character set here, before any writer (comment, YAML, JSON, sidecar) sees it.
 */
export function entriesFromEvents(events: readonly EditEvent[], includeSessionId: boolean): HistoryEntry[] {
  return events.map((e) => {
    const entry: HistoryEntry = {
      timestamp: safeHistoryText(formatTimestamp(e.timestamp)),
      model: safeHistoryText(e.model),
      action: e.action,
      agent_tool: safeHistoryText(e.agent),
    };
    if (e.agentVersion) entry.agent_version = safeHistoryText(e.agentVersion);
    if (includeSessionId) entry.session_id = safeHistoryText(e.sessionId);
    return entry;
  });
}

function instantOf(entry: StoredEntry): number | null {
  const t = entry["timestamp"];
  if (typeof t !== "string" && !(t instanceof Date)) return null;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Existing entries merged with new ones. Entries without a readable timestamp keep their place at the front (one
 * equal to a new entry is replaced by it); for
 * an instant that the new entries cover, the new entries replace the existing ones (so a corrected model replaces
 * a stale one); everything is then ordered by instant, stable.
 */
export function mergeEntries(existing: readonly StoredEntry[], fresh: readonly HistoryEntry[]): StoredEntry[] {
  const freshInstants = new Set<number>();
  for (const e of fresh) {
    const t = instantOf(e as unknown as StoredEntry);
    if (t !== null) freshInstants.add(t);
  }
  const undated: StoredEntry[] = [];
  const dated: { t: number; entry: StoredEntry; order: number }[] = [];
  let order = 0;
  for (const e of existing) {
    const t = instantOf(e);
    // An undated entry that this run writes again is the same entry: keeping both would add it on every run.
    if (t === null) {
      if (!fresh.some((f) => sameData(f, e))) undated.push(e);
    }
    else if (!freshInstants.has(t)) dated.push({ t, entry: e, order: order++ });
  }
  for (const e of fresh) {
    const entry = e as unknown as StoredEntry;
    const t = instantOf(entry);
    if (t === null) undated.push(entry);
    else dated.push({ t, entry, order: order++ });
  }
  dated.sort((a, b) => a.t - b.t || a.order - b.order);
  return [...undated, ...dated.map((d) => d.entry)];
}

/** Deep equality of plain JSON-like data, key order included (so a rewrite also normalizes key order once). */
export function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** YAML as the reference's serde_yaml writes it: block style, list items at the key's column, single quotes. */
export function toYaml(value: unknown): string {
  return stringify(value, { indentSeq: false, singleQuote: true, lineWidth: 0 });
}
