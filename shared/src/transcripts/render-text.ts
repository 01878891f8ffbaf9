// Plain-text and JSON rendering of a transcript (`transcript view`, formats text and json), laid out like the
// reference: a header block, one section per message, truncation unless `--full`, thinking and tool details only
// when asked. Text is wrapped to the given width (never with `Infinity`, for output that is not a terminal),
// continuation lines keeping the indentation of the line they wrap.

import { appendAll } from "../util/arrays";
import type { TranscriptOptions } from "../engine-api";
import { escapeControlChars, jsonForTerminal } from "./control-chars";
import type { ContentBlock, Transcript, TranscriptMessage } from "./model";

export interface TranscriptRenderOptions extends TranscriptOptions {
  /** Markdown: render this tool call in full and report the line it starts on. */
  toolCallId?: string | null;
  /**
   * Markdown for an editor's preview: thinking, tool calls and tool output are shown, folded in `<details>` (the
   * target tool call unfolded), and edits as diffs.
   */
  editor?: boolean;
}

export const LIMITS = { text: 500, thinking: 300, tool: 200 } as const;
export const TRUNCATED_NOTE = "[truncated, use --full to see all]";
export const THINKING_HIDDEN = "[thinking block - use --show-thinking to view]";

/** First `max − 3` characters plus `...` when longer than `max` (never with `full`). */
export function clip(text: string, max: number, full: boolean | undefined): { text: string; cut: boolean } {
  const chars = [...text];
  if (full || chars.length <= max) return { text, cut: false };
  return { text: `${chars.slice(0, max - 3).join("")}...`, cut: true };
}

export function toolInputText(input: unknown): string {
  if (typeof input === "string") return input;
  return JSON.stringify(input, null, 2) ?? "null";
}

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function dateTime(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

/** `HH:MM:SS` in UTC. */
export function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** Wraps one line to `width` columns at spaces (hard breaks for longer words), keeping its indentation. */
export function wrapLine(line: string, width: number): string[] {
  if (width < 20 || [...line].length <= width) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? "";
  const pad = indent.length < width / 2 ? indent : "";
  const words = line.slice(indent.length).split(/ +/);
  const out: string[] = [];
  let current = indent;
  const flush = (): void => {
    if (current.trim() !== "") out.push(current.trimEnd());
    current = pad;
  };
  for (let word of words) {
    while ([...pad].length + [...word].length > width) {
      if (current.trim() !== "") flush();
      const room = width - [...pad].length;
      out.push(pad + [...word].slice(0, room).join(""));
      word = [...word].slice(room).join("");
    }
    const sep = current.trim() === "" ? "" : " ";
    if ([...current].length + sep.length + [...word].length > width) {
      flush();
      current = pad + word;
    } else current += sep + word;
  }
  flush();
  return out.length > 0 ? out : [line];
}

function blockText(b: ContentBlock, o: TranscriptRenderOptions): string[] {
  if (b.type === "text") {
    const c = clip(b.text, LIMITS.text, o.full);
    return c.cut ? [...c.text.split("\n"), TRUNCATED_NOTE] : c.text.split("\n");
  }
  if (b.type === "thinking") {
    if (!o.showThinking) return [THINKING_HIDDEN];
    return ["", "<thinking>", ...clip(b.thinking, LIMITS.thinking, o.full).text.split("\n"), "</thinking>"];
  }
  if (b.type === "tool_use") {
    if (!o.showTools) return [`[Tool: ${b.name}]`];
    return ["", `[Tool Use: ${b.name} (${b.id})]`, ...clip(toolInputText(b.input), LIMITS.tool, o.full).text.split("\n")];
  }
  if (b.type === "tool_result") {
    if (!o.showTools) return [];
    const label = b.isError ? "[Error]" : "[Result]";
    return `${label} ${clip(b.content, LIMITS.tool, o.full).text}`.split("\n");
  }
  return [`[File ${b.operation}: ${b.filePath}]`];
}

function messageText(m: TranscriptMessage, o: TranscriptRenderOptions): string[] {
  const body = m.content.flatMap((b) => blockText(b, o));
  if (body.every((l) => l.trim() === "")) return [];
  const head = `${"-".repeat(20)} [${m.role.toUpperCase()}] ${clock(m.timestamp)}${m.model ? ` (${m.model})` : ""}`;
  return ["", head, ...body];
}

export function renderTranscriptText(t: Transcript, options: TranscriptRenderOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const rule = "=".repeat(Math.min(width, 80));
  const m = t.meta;
  const lines = ["", rule, `Session: ${m.sessionId}`];
  if (m.slug) lines.push(`Slug: ${m.slug}`);
  if (m.title) lines.push(`Title: ${m.title}`);
  lines.push(`Agent: ${m.agent}${m.subagentId ? ` (subagent ${m.subagentId})` : ""}`);
  if (m.parentSessionId) lines.push(`Parent Session: ${m.parentSessionId}`);
  if (m.agentVersion) lines.push(`Version: ${m.agentVersion}`);
  if (m.cwd) lines.push(`Working Directory: ${m.cwd}`);
  if (m.gitBranch) lines.push(`Git Branch: ${m.gitBranch}`);
  lines.push(`Trace File: ${m.traceFile}`);
  if (m.startTime) lines.push(`Start: ${dateTime(m.startTime)}`);
  if (m.endTime) lines.push(`End: ${dateTime(m.endTime)}`);
  lines.push(`Messages: ${t.stats.messageCount}`, `Files Touched: ${t.stats.filesTouched}`, rule);
  // The header is never wrapped: a path broken across lines can no longer be copied or clicked. Control characters
  // are escaped before wrapping, so widths count what the terminal will show.
  const body: string[] = [];
  for (const message of t.messages) appendAll(body, messageText(message, options));
  body.push("", rule);
  const wrapped = escapeControlChars(body.join("\n")).split("\n").flatMap((l) => wrapLine(l, width));
  return `${[escapeControlChars(lines.join("\n")), ...wrapped].join("\n")}\n`;
}

/** The whole transcript, untruncated, as pretty JSON. */
export function renderTranscriptJson(t: Transcript): string {
  return `${jsonForTerminal(t)}\n`;
}
