// Test support for attribution: a builder that records one file's edit history as EditEvents shaped like the
// parsers emit them (Claude Write/Edit/MultiEdit with originalFile and structuredPatch, Codex Add/Update/Delete),
// with contents in a MemoryContentStore, and a data-driven `check` that compares owners in a compact notation; also
// the fingerprints the parsers add to such events and a store that counts content loads.

import { structuredPatch } from "diff";
import { expect } from "vitest";
import { attributeFile, type AttributionResult } from "../../src/attribution";
import type { LineReplacement } from "../../src/attribution/chain";
import { lineFingerprint } from "../../src/attribution/fingerprint";
import type { EditAction, EditChange, EditEvent, PatchChunk, StructuredHunk } from "../../src/events/edit-event";
import { type ContentStore, MemoryContentStore } from "../../src/store/content-store";

export const FILE = "/home/alice/project/src/app.ts";

type Agent = "claude-code" | "codex-cli";

export interface EventOptions {
  /** ISO timestamp; default: one minute after the previous event. */
  at?: string;
  agent?: Agent;
  model?: string;
}

/** One edit of Claude's Edit/MultiEdit: [old, new] or [old, new, replaceAll]. */
export type Replacement = [string, string] | [string, string, boolean];

export class History {
  readonly store = new MemoryContentStore();
  readonly events: EditEvent[] = [];
  private clock = Date.parse("2025-11-03T09:00:00.000Z");
  private offset = 0;

  /** Claude Write: the whole content, with originalFile when the file existed (`before`). */
  write(id: string, content: string, options: EventOptions & { before?: string; action?: EditAction } = {}): EditEvent {
    const change: EditChange = { after: this.store.put(content) };
    if (options.before !== undefined) {
      change.before = this.store.put(options.before);
      change.hunks = hunksOf(options.before, content);
    }
    const action = options.action ?? (options.before === undefined ? "CREATED" : "EDITED");
    return this.add(id, action, "Write", change, options);
  }

  /**
   * Claude Edit (one replacement) or MultiEdit (several). `before` is originalFile; `after` the content the parser
   * computed; `hunks` the structuredPatch (computed from before/after unless given). Omit what the trace lacks.
   */
  edit(
    id: string,
    replacements: Replacement[],
    options: EventOptions & { before?: string; after?: string; hunks?: StructuredHunk[] } = {},
  ): EditEvent {
    const change: EditChange = {
      edits: replacements.map(([oldString, newString, replaceAll]) => ({ oldString, newString, replaceAll: replaceAll ?? false })),
    };
    if (options.before !== undefined) change.before = this.store.put(options.before);
    if (options.after !== undefined) change.after = this.store.put(options.after);
    const hunks = options.hunks ?? (options.before !== undefined && options.after !== undefined ? hunksOf(options.before, options.after) : undefined);
    if (hunks !== undefined) change.hunks = hunks;
    return this.add(id, "EDITED", replacements.length > 1 ? "MultiEdit" : "Edit", change, options);
  }

  /** Codex `*** Add File`. */
  codexAdd(id: string, content: string, options: EventOptions = {}): EditEvent {
    return this.add(id, "CREATED", "apply_patch", { after: this.store.put(content) }, { agent: "codex-cli", ...options });
  }

  /** Codex `*** Update File` with the given chunks. */
  codexUpdate(id: string, chunks: PatchChunk[], options: EventOptions = {}): EditEvent {
    return this.add(id, "EDITED", "apply_patch", { chunks }, { agent: "codex-cli", ...options });
  }

  /** Codex `*** Delete File`. */
  codexDelete(id: string, options: EventOptions = {}): EditEvent {
    return this.add(id, "DELETED", "apply_patch", {}, { agent: "codex-cli", ...options });
  }

  private add(id: string, action: EditAction, toolName: string, change: EditChange, options: EventOptions): EditEvent {
    this.clock += 60_000;
    const timestamp = options.at ?? new Date(this.clock).toISOString();
    const agent = options.agent ?? "claude-code";
    const sessionId = agent === "claude-code" ? "5d6c1f0e-7a44-4b1c-9a83-2f1f2b0c9d11" : "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const event: EditEvent = {
      id,
      file: FILE,
      action,
      timestamp,
      model: options.model ?? (agent === "claude-code" ? "claude-opus-4-5-20251101" : "gpt-5-codex"),
      agent,
      agentVersion: agent === "claude-code" ? "2.0.75" : "0.58.0",
      sessionId,
      parentSessionId: null,
      subagentId: null,
      traceFile: agent === "claude-code" ? `/home/alice/.claude/projects/-home-alice-project/${sessionId}.jsonl` : `/home/alice/.codex/sessions/2025/11/03/rollout-2025-11-03T09-00-00-${sessionId}.jsonl`,
      traceOffset: (this.offset += 4096),
      toolCallId: agent === "claude-code" ? `toolu_${id}` : `call_${id}`,
      toolName,
      promptId: null,
      promptText: `prompt for ${id}`,
      changeSize: 1,
      change,
    };
    this.events.push(event);
    return event;
  }
}

/** A Codex chunk from patch lines (` ctx`, `-old`, `+new`), with an optional `@@ context` line and end-of-file mark. */
export function chunk(lines: string[], context: string | null = null, endOfFile = false): PatchChunk {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  for (const line of lines) {
    const marker = line.charAt(0);
    if (marker === " " || marker === "-") oldLines.push(line.slice(1));
    if (marker === " " || marker === "+") newLines.push(line.slice(1));
  }
  return { context, oldLines, newLines, endOfFile };
}

/** Claude's structuredPatch of before → after (Claude builds it the same way, with 3 lines of context). */
export function hunksOf(before: string, after: string): StructuredHunk[] {
  return structuredPatch("a", "a", before, after, undefined, undefined, { context: 3 }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines.filter((l) => !l.startsWith("\\")),
  }));
}

/** The events with the line fingerprints the parsers record beside each stored content. */
export function withFingerprints(events: readonly EditEvent[], store: ContentStore): EditEvent[] {
  const fp = (key: string | undefined) => {
    const content = key === undefined ? undefined : store.get(key);
    return content === undefined ? undefined : lineFingerprint(content);
  };
  return events.map((e) => {
    const change: EditChange = { ...e.change };
    const beforeFp = fp(change.before);
    const afterFp = fp(change.after);
    if (beforeFp !== undefined) change.beforeFp = beforeFp;
    if (afterFp !== undefined) change.afterFp = afterFp;
    return { ...e, change };
  });
}

/** A content store that counts the contents read from it (the durable index decompresses each one). */
export class CountingStore implements ContentStore {
  gets = 0;
  constructor(private readonly inner: ContentStore) {}
  put(text: string): string {
    return this.inner.put(text);
  }
  get(key: string): string | undefined {
    this.gets++;
    return this.inner.get(key);
  }
}

/** Lines joined with LF and a final newline. */
export function text(...lines: string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

/** Compact owner notation: the event id, or `?after` / `?outside` / `?none` for the three reasons. */
export function notation(result: AttributionResult): string[] {
  return result.lines.map((l) => {
    if (l.owner !== null) return l.owner.eventId;
    if (l.reason === "changed-after-ai") return "?after";
    if (l.reason === "changed-outside-traces") return "?outside";
    return "?none";
  });
}

/** Attributes `current` with the history's events and asserts the owner of each line. */
export function check(history: History, current: string, expected: string[], fallbacks = 0): AttributionResult {
  const result = attributeFile(history.events, history.store, current);
  expect(notation(result)).toEqual(expected);
  expect(result.fallbacks).toBe(fallbacks);
  expect(result.events).toBe(new Set(history.events.map((e) => e.id)).size);
  return result;
}

/**
 * Random, non-overlapping, ordered line replacements over `lineCount` lines (at least one untouched line between
 * two), each replacing 0–2 lines by 0–2 new words: the steps randomized chain tests apply.
 */
export function randomReplacements(rnd: () => number, lineCount: number, word: () => string): LineReplacement[] {
  const replacements: LineReplacement[] = [];
  let at = 0;
  while (at <= lineCount && rnd() < 0.7) {
    const start = at + Math.floor(rnd() * 3);
    if (start > lineCount) break;
    const length = Math.min(Math.floor(rnd() * 3), lineCount - start);
    replacements.push({ start, length, lines: Array.from({ length: Math.floor(rnd() * 3) }, word) });
    at = start + length + 1;
  }
  return replacements;
}
