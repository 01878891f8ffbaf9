// Markdown rendering of a transcript, for `transcript view --format markdown` and the editor's "show transcript"
// view. The document is built line by line so that the 1-based line where a given tool call is rendered is known
// exactly; that tool call is always shown in full, whatever the other options say. Trace text never forms markup:
// messages and thinking are escaped prose (their fenced code re-fenced), tool inputs and outputs are code fences
// longer than any backtick run inside, names and ids are code spans (util/markdown.ts); control characters are
// escaped too (control-chars.ts). With `editor`, thinking and tool blocks are folded in `<details>`
// (trace text only ever inside code fences or escaped) and edits are diffs (render-edit-diff.ts).

import { appendAll } from "../util/arrays";
import { codeFence, codeSpan, escapeMarkdown, proseMarkdown } from "../util/markdown";
import { escapeControlChars } from "./control-chars";
import { editDiff } from "./render-edit-diff";
import type { ContentBlock, Transcript } from "./model";
import {
  clip,
  clock,
  dateTime,
  LIMITS,
  THINKING_HIDDEN,
  toolInputText,
  TRUNCATED_NOTE,
  type TranscriptRenderOptions,
} from "./render-text";

const fence = codeFence;
const code = codeSpan;

/** `lines` folded under `summary` (markdown inside needs the blank lines around it). */
function folded(summary: string, lines: string[], open: boolean): string[] {
  return [`<details${open ? " open" : ""}><summary>${summary}</summary>`, "", ...lines, "", "</details>"];
}

/** The editor's form of a block: everything shown, folded, edits as diffs. */
function editorBlockLines(b: ContentBlock, o: TranscriptRenderOptions, target: boolean): string[] | null {
  if (b.type === "thinking") return folded("Thinking", fence(clip(b.thinking, LIMITS.text * 4, o.full).text), false);
  if (b.type === "tool_use") {
    const diff = editDiff(b.name, b.input);
    const input = diff ?? toolInputText(b.input);
    const body = target ? input : clip(input, LIMITS.text * 4, o.full).text;
    const head = `**Tool Use:** ${code(b.name)} (${code(b.id)})`;
    return [head, "", ...folded(diff ? "Change" : "Input", fence(body, diff ? "diff" : typeof b.input === "string" ? "" : "json"), target)];
  }
  if (b.type === "tool_result") {
    const body = target ? b.content : clip(b.content, LIMITS.text * 4, o.full).text;
    return folded(b.isError ? "Error" : "Result", fence(body), false);
  }
  return null;
}

function blockLines(b: ContentBlock, o: TranscriptRenderOptions, target: boolean): string[] {
  const editorForm = o.editor ? editorBlockLines(b, o, target) : null;
  if (editorForm) return editorForm;
  if (b.type === "text") {
    const c = clip(b.text, LIMITS.text, o.full);
    // Control characters first, so a lone CR (or VT, FF, NEL) shows as its picture instead of breaking the line.
    const prose = proseMarkdown(escapeControlChars(c.text));
    return c.cut ? [...prose, "", `*${TRUNCATED_NOTE}*`] : prose;
  }
  if (b.type === "thinking") {
    if (!o.showThinking) return [`*${THINKING_HIDDEN}*`];
    return ["<details><summary>Thinking</summary>", "", ...proseMarkdown(escapeControlChars(clip(b.thinking, LIMITS.thinking, o.full).text)), "", "</details>"];
  }
  if (b.type === "tool_use") {
    if (!o.showTools && !target) return [`> **Tool:** ${code(b.name)}`];
    const input = toolInputText(b.input);
    const body = target ? input : clip(input, LIMITS.tool, o.full).text;
    return [`**Tool Use:** ${code(b.name)} (${code(b.id)})`, "", ...fence(body, typeof b.input === "string" ? "" : "json")];
  }
  if (b.type === "tool_result") {
    if (!o.showTools && !target) return [];
    const body = target ? b.content : clip(b.content, LIMITS.tool, o.full).text;
    return [b.isError ? "**Error:**" : "**Result:**", "", ...fence(body)];
  }
  return [`> **File ${b.operation}:** ${code(b.filePath)}`];
}

function idOf(b: ContentBlock): string | null {
  if (b.type === "tool_use") return b.id;
  if (b.type === "tool_result" || b.type === "file_operation") return b.toolUseId;
  return null;
}

/** Markdown of the transcript and, when `toolCallId` is given and found, the 1-based line where it is rendered. */
export function renderTranscriptMarkdown(
  t: Transcript,
  options: TranscriptRenderOptions = {},
): { markdown: string; line: number | null } {
  const m = t.meta;
  const lines: string[] = [`# Transcript: ${escapeMarkdown(m.title ?? m.slug ?? m.sessionId)}`, ""];
  const field = (name: string, value: string | null): void => {
    if (value) lines.push(`**${name}:** ${value}  `);
  };
  field("Session", code(m.sessionId));
  field("Slug", m.slug === null ? null : escapeMarkdown(m.slug));
  field("Agent", m.subagentId ? `${escapeMarkdown(m.agent)} (subagent ${code(m.subagentId)})` : escapeMarkdown(m.agent));
  field("Parent Session", m.parentSessionId ? code(m.parentSessionId) : null);
  field("Version", m.agentVersion === null ? null : escapeMarkdown(m.agentVersion));
  field("Working Directory", m.cwd ? code(m.cwd) : null);
  field("Git Branch", m.gitBranch ? code(m.gitBranch) : null);
  field("Trace File", code(m.traceFile));
  field("Start", m.startTime ? `${dateTime(m.startTime)} UTC` : null);
  field("End", m.endTime ? `${dateTime(m.endTime)} UTC` : null);
  field("Messages", String(t.stats.messageCount));
  field("Files Touched", String(t.stats.filesTouched));
  lines.push("", "---", "");
  const wanted = options.toolCallId ?? null;
  let found: number | null = null;
  for (const message of t.messages) {
    const body: string[] = [];
    let targetAt: number | null = null;
    for (const b of message.content) {
      const isTarget = wanted !== null && idOf(b) === wanted;
      const rendered = blockLines(b, options, isTarget);
      if (rendered.length === 0) continue;
      if (isTarget && targetAt === null) targetAt = body.length;
      appendAll(body, rendered).push("");
    }
    if (body.length === 0) continue;
    const role = escapeMarkdown(message.role.slice(0, 1).toUpperCase() + message.role.slice(1));
    lines.push(`## ${role} (${clock(message.timestamp)})${message.model ? ` _${escapeMarkdown(message.model)}_` : ""}`, "");
    if (targetAt !== null && found === null) found = lines.length + targetAt + 1;
    appendAll(lines, body).push("---", "");
  }
  // Escaping keeps the line count (a CRLF ending only loses its CR), so `found` stays right.
  return { markdown: escapeControlChars(lines.join("\n")), line: found };
}
