// A session's conversation for a reader, as `Snapshot.transcript` and `Snapshot.transcriptMarkdown` answer it: the
// session a user names (by id, part of it, subagent id, slug or trace path), its trace read whole, or — once the
// agent has deleted that trace or it cannot be read — the session's edits the durable index kept, rendered as
// markdown with the prompt behind each edit. Trace text in the markdown is escaped (codeSpan, quotePrompt).

import type { ShowTranscriptArgs, ShowTranscriptResult } from "../contract";
import { shortModelName } from "../contract";
import { agentDisplayName } from "../agents/registry";
import type { EditEvent, SessionInfo } from "../events/edit-event";
import { isAiBlameError } from "../util/errors";
import { codeSpan, escapeMarkdown } from "../util/markdown";
import { loadTranscript, matchSessions } from "./load";
import type { Transcript } from "./model";
import { renderTranscriptMarkdown } from "./render-markdown";

/** "Claude Code 2.0.76": the agent's display name and version. */
export function agentLabel(agent: string, version: string | null): string {
  const name = agentDisplayName(agent);
  return version ? `${name} ${version}` : name;
}

/** The first 8 characters of a session id, as blame's session column shows it. */
export function shortSession(sessionId: string): string {
  return sessionId.slice(0, 8);
}

/** "2025-11-03 13:58 UTC" (an unparsable time as it is). */
export function absoluteTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Trims a prompt to `max` characters on a word boundary, collapsing runs of blank lines. */
export function trimPrompt(text: string, max: number): string {
  const clean = text.replace(/\r\n?/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A prompt as a markdown block quote, its text escaped. */
export function quotePrompt(text: string, max: number): string {
  return trimPrompt(text, max)
    .split("\n")
    .map((line) => (line.trim() === "" ? ">" : `> ${escapeMarkdown(line)}`))
    .join("\n");
}

/**
 * A session's recorded edits as markdown, oldest first, with its metadata and the prompt behind each edit (used when
 * the trace file is gone but the durable index still holds its edits); `line` is the 1-based line of the heading of
 * the edit made by `toolCallId`.
 */
export function renderIndexedSession(
  sessions: readonly SessionInfo[],
  events: readonly EditEvent[],
  relativePath: (file: string) => string,
  toolCallId: string | null,
  note: string,
): ShowTranscriptResult {
  const main = sessions.find((s) => s.subagentId === null) ?? sessions[0];
  const sessionId = main?.sessionId ?? events[0]?.sessionId ?? "";
  const models = [...new Set([...(main?.models ?? []), ...events.map((e) => e.model)])].map(shortModelName);
  const title = `${shortSession(sessionId)}${models.length > 0 ? ` — ${models.join(", ")}` : ""}`;
  const lines: string[] = [`# Session ${escapeMarkdown(title)}`, ""];
  if (main) {
    lines.push(`- Agent: ${escapeMarkdown(agentLabel(main.agent, main.agentVersion))}`);
    if (main.startTime) {
      lines.push(`- Started: ${escapeMarkdown(absoluteTime(main.startTime))}${main.endTime ? ` · last record ${escapeMarkdown(absoluteTime(main.endTime))}` : ""}`);
    }
    if (main.gitBranch) lines.push(`- Branch: ${codeSpan(main.gitBranch)}`);
    if (main.cwd) lines.push(`- Directory: ${codeSpan(main.cwd)}`);
  }
  lines.push(`- Session: ${codeSpan(sessionId)}`);
  lines.push("", `_${note}_`);
  for (const s of sessions) lines.push(`- Trace: ${codeSpan(s.traceFile)}${s.subagentId ? ` (subagent ${codeSpan(s.subagentId)})` : ""}`);
  lines.push("");
  if (main?.firstPrompt) lines.push("First prompt:", "", quotePrompt(main.firstPrompt, 2000), "");
  lines.push(`## Edits (${events.length})`, "");
  let target: number | null = null;
  let lastPrompt: string | null = null;
  for (const event of events) {
    if (event.promptText && event.promptText !== lastPrompt) {
      lines.push(quotePrompt(event.promptText, 2000), "");
      lastPrompt = event.promptText;
    }
    if (toolCallId !== null && event.toolCallId === toolCallId && target === null) target = lines.length + 1;
    lines.push(`### ${escapeMarkdown(absoluteTime(event.timestamp))} · ${event.action.toLowerCase()} ${codeSpan(relativePath(event.file))}`);
    const subagent = event.subagentId ? ` · subagent ${codeSpan(event.subagentId)}` : "";
    lines.push(
      "",
      `${codeSpan(event.toolName)} by ${escapeMarkdown(shortModelName(event.model))} · ${event.changeSize} characters changed · tool call ${codeSpan(event.toolCallId)}${subagent}`,
      "",
    );
  }
  return { title: `AI session ${shortSession(sessionId)}`, markdown: lines.join("\n"), line: target };
}

/**
 * The trace file to open: the one the caller named if the index knows it for this session (a command link must not
 * make anyone read arbitrary files), else the file holding the tool call, else the main session's file.
 */
function traceFileFor(args: ShowTranscriptArgs, sessions: readonly SessionInfo[], events: readonly EditEvent[]): string | null {
  const known = new Set([...sessions.map((s) => s.traceFile), ...events.map((e) => e.traceFile)]);
  if (args.traceFile && known.has(args.traceFile)) return args.traceFile;
  const call = args.toolCallId ? events.find((e) => e.toolCallId === args.toolCallId) : undefined;
  if (call) return call.traceFile;
  return (sessions.find((s) => s.subagentId === null) ?? sessions[0])?.traceFile ?? events[0]?.traceFile ?? null;
}

/** What a snapshot gives the functions below. */
export interface SessionSource {
  sessions: readonly SessionInfo[];
  events: readonly EditEvent[];
  relativePath(file: string): string;
}

/**
 * A session (by exact id) as markdown for an editor, at the tool call `args.toolCallId` made: the whole conversation
 * from its trace, or the edits the index kept when the trace is gone or unreadable. Null when no session or edit of
 * this snapshot has that id.
 */
export async function sessionMarkdown(
  source: SessionSource,
  args: ShowTranscriptArgs,
  options: { editor?: boolean } = {},
): Promise<ShowTranscriptResult | null> {
  const sessions = source.sessions.filter((s) => s.sessionId === args.sessionId);
  const events = source.events.filter((e) => e.sessionId === args.sessionId);
  if (sessions.length === 0 && events.length === 0) return null;
  const indexed = (note: string) => renderIndexedSession(sessions, events, (f) => source.relativePath(f), args.toolCallId ?? null, note);
  const traceFile = traceFileFor(args, sessions, events);
  if (!traceFile) return indexed("No trace file is known for this session.");
  try {
    const rendered = renderTranscriptMarkdown(await loadTranscript(traceFile), {
      toolCallId: args.toolCallId ?? undefined,
      editor: options.editor === true,
    });
    return { title: `AI session ${shortSession(args.sessionId)}`, markdown: rendered.markdown, line: rendered.line };
  } catch (error) {
    if (!isAiBlameError(error)) throw error;
    return indexed(
      error.code === "not-found"
        ? "The trace file of this session is gone (agents delete old sessions); these are the edits the index kept."
        : `The trace file could not be read as a transcript (${error.message}); these are the edits the index kept.`,
    );
  }
}

/** The session a user named (see `matchSessions`) and its transcript, with how many sessions the query matched. */
export interface NamedTranscript {
  transcript: Transcript;
  session: SessionInfo;
  /** Distinct session ids the query matched (more than one: the choice rule picked `session`). */
  matched: number;
  /**
   * Whether the user should hear which one was chosen: several sessions matched, the query is not the chosen id, and
   * it is not a prefix of one session's id alone (as blame and timeline print them; its subagents' ids start with it
   * too), whatever else contains it.
   */
  ambiguous: boolean;
}

/** The session a query names and its whole transcript; null when no session matches. */
export async function namedTranscript(source: SessionSource, query: string): Promise<NamedTranscript | null> {
  const matches = matchSessions(source.sessions, query);
  const session = matches[0];
  if (!session) return null;
  const q = query.trim();
  const matched = new Set(matches.map((s) => s.sessionId)).size;
  const prefixed = matches.filter((s) => s.sessionId.startsWith(q));
  const prefixOfOne = new Set(prefixed.map((s) => s.sessionId.split("/")[0])).size === 1;
  const ambiguous = matched > 1 && session.sessionId !== q && !prefixOfOne;
  return { transcript: await loadTranscript(session.traceFile), session, matched, ambiguous };
}
