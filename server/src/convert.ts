// The one place that turns engine results (1-based lines, owners, ISO timestamps, reasons) into LSP vocabulary:
// 0-based ranges, markdown, and short labels of lines and of AI runs (the engine's aiRegions). Features compose these; nothing else
// formats provenance, so hover, lenses, inlay hints and lineInfo always say the same thing about a line.

import type { Position, Range } from "vscode-languageserver/node";
import type { AiRun } from "@ai-blame/shared";
import { type BlameLineJson, Commands, shortModelName, type BlameJson, type LineOwnerJson, type ShowTranscriptArgs, type UnattributedReason } from "@ai-blame/shared/contract";
import { absoluteTime, agentLabel, codeSpan, escapeMarkdown, quotePrompt, shortSession, trimPrompt } from "@ai-blame/shared";
import type { TranscriptHint } from "./capabilities";

// The escaping and the labels live in the engine (one helper for every markdown renderer, and the same labels as its
// session markdown); re-exported for the features here.
export { absoluteTime, agentLabel, codeSpan, escapeMarkdown, quotePrompt, shortSession, trimPrompt };

/** The LSP range of a 1-based line whose text is `text`. */
export function lineRange(line: number, text: string): Range {
  return { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: text.length } };
}

/** The 1-based line an LSP position points at. */
export function lineOf(position: Position): number {
  return position.line + 1;
}

const units: [string, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "2 days ago", "1 hour ago", "just now"; a timestamp in the future (clock skew) reads as "just now". */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const elapsed = now - then;
  for (const [unit, ms] of units) {
    const count = Math.floor(elapsed / ms);
    if (count >= 1) return `${count} ${unit}${count === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

export function transcriptArgs(owner: LineOwnerJson): ShowTranscriptArgs {
  return { sessionId: owner.sessionId, toolCallId: owner.toolCallId, traceFile: owner.traceFile };
}

/** A markdown link that runs a command in clients that support command URIs (VS Code). */
export function commandLink(label: string, command: string, args: unknown[]): string {
  // encodeURIComponent leaves ( ) ! ' * ~ as they are: a `)` in a trace path would end the link target early.
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[()!'*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(label)}](command:${command}?${query})`;
}

export type HoverDetail = "minimal" | "normal" | "full";

/**
 * The hover's last paragraph: how to open the transcript (and, in VS Code, the diff of the edit of `uri`, and for an
 * edit of an existing file the diff of the earlier AI edit of line `line0`).
 */
function transcriptLine(owner: LineOwnerJson, hint: TranscriptHint, uri: string | undefined, line0: number | undefined): string | null {
  if (hint === "command-link") {
    const transcript = commandLink("Open transcript at this edit", Commands.showTranscript, [transcriptArgs(owner)]);
    if (!uri) return transcript;
    const change = { uri, sessionId: owner.sessionId, toolCallId: owner.toolCallId };
    const links = `${transcript} · ${commandLink("Show the change", Commands.showChange, [change])}`;
    if (line0 === undefined || owner.action !== "EDITED") return links;
    return `${links} · ${commandLink("Previous AI edit of this line", Commands.showPreviousEdit, [{ uri, line: line0 }])}`;
  }
  if (hint === "nvim-command") return "`:AiBlameTranscript` opens the transcript at this edit";
  return null;
}

/** The hover markdown of an attributed line; `hint` says how this client can open the transcript. */
export function ownerMarkdown(
  owner: LineOwnerJson,
  detail: HoverDetail,
  now: number,
  hint: TranscriptHint,
  uri?: string,
  line0?: number,
): string {
  const model = shortModelName(owner.model);
  // Every value below comes from a trace: an unparsable timestamp is shown as recorded, so it is escaped too.
  const ago = escapeMarkdown(relativeTime(owner.timestamp, now));
  const when = `${ago} (${escapeMarkdown(absoluteTime(owner.timestamp))})`;
  if (detail === "minimal") return `**✦ ${escapeMarkdown(model)}** · ${ago}`;
  const parts = [
    `**✦ ${escapeMarkdown(model)}** · ${escapeMarkdown(agentLabel(owner.agent, owner.agentVersion))} · ${escapeMarkdown(owner.action.toLowerCase())}`,
    `${when} · session ${codeSpan(shortSession(owner.sessionId))}`,
  ];
  if (owner.promptText) parts.push(quotePrompt(owner.promptText, detail === "full" ? 2000 : 300));
  else parts.push("_No prompt recorded for this edit._");
  if (detail === "full") {
    parts.push(
      [
        `model ${codeSpan(owner.model)}`,
        `session ${codeSpan(owner.sessionId)}`,
        `tool call ${codeSpan(owner.toolCallId)}`,
        `trace ${codeSpan(owner.traceFile)}`,
      ].join("  \n"),
    );
  }
  const open = transcriptLine(owner, hint, uri, line0);
  if (open) parts.push(open);
  return parts.join("\n\n");
}

/**
 * The git line of a hover: "committed in 1a2b3c4 by Alice, 2 days ago" (author and summary come from the repository,
 * so they are escaped like trace text), "not committed yet", and where the AI owner came from when it was a git note.
 */
export function commitMarkdown(line: BlameLineJson, now: number): string | null {
  if (line.commit === undefined) return null;
  if (line.commit === null) return "_Not committed yet._";
  const c = line.commit;
  const text = `committed in ${codeSpan(c.sha.slice(0, 7))} by ${escapeMarkdown(c.author)}, ${escapeMarkdown(relativeTime(c.authorTime, now))}`;
  return line.source === "note" ? `${text} · attribution from the commit's git note` : text;
}

/** Why no trace explains a line, in a sentence. `fileEvents` is how many AI events the file has. */
export function reasonText(reason: UnattributedReason | null, fileEvents: number): string {
  switch (reason) {
    case "changed-after-ai":
      return "This line changed after the last AI edit of this file (a human or an untraced tool wrote it).";
    case "changed-outside-traces":
      return "This line changed between two AI edits, outside any recorded session.";
    default:
      return fileEvents === 0
        ? "No recorded AI session (Claude Code, Codex) edited this file."
        : "No recorded AI edit wrote this line: it predates the traces or was never touched by an agent.";
  }
}

export type UnattributedHover = "off" | "brief" | "full";

/**
 * The hover of a line no AI edit wrote, or null for none: `off` never says anything, `brief` one line and only in
 * files some AI edit touched (elsewhere every line would say the same), `full` a heading and the reason everywhere.
 */
export function unattributedMarkdown(reason: UnattributedReason | null, fileEvents: number, mode: UnattributedHover): string | null {
  if (mode === "off" || (mode === "brief" && fileEvents === 0)) return null;
  if (mode === "brief") return `_Not AI-written:_ ${reasonText(reason, fileEvents)}`;
  return `**No AI trace explains this line**\n\n${reasonText(reason, fileEvents)}`;
}

/** A run's lens title: "✦ claude-opus-4-5, claude-sonnet-4-5 · 3 edits · 2 days ago" (time of its newest edit). */
export function lensTitle(run: AiRun, now: number): string {
  return `✦ ${run.models.join(", ")} · ${run.edits} edit${run.edits === 1 ? "" : "s"} · ${relativeTime(run.newest.timestamp, now)}`;
}

/** The per-file lens: "✦ 63% AI · claude-opus-4-5, claude-sonnet-4-5 · 6 edits · 2 days ago". */
export function fileLensTitle(region: AiRun, blame: BlameJson, now: number): string {
  const aiLines = blame.lines.reduce((count, line) => count + (line.owner ? 1 : 0), 0);
  const share = blame.lines.length === 0 ? 0 : Math.round((100 * aiLines) / blame.lines.length);
  return `✦ ${share}% AI · ${lensTitle(region, now).slice(2)}`;
}

/** At most two model names, then "+N" (an inlay hint must fit beside the code). */
function fewModels(models: string[]): string {
  return models.length <= 2 ? models.join(", ") : `${models.slice(0, 2).join(", ")} +${models.length - 2}`;
}

/** Longest inlay hint label, in characters; a longer one is cut with "…". */
export const INLAY_LABEL_MAX = 64;

/** A run's inlay hint: "✦ claude-opus-4-5, claude-sonnet-4-5 · 2 days ago · 1a2b3c4d" (newest edit's time). */
export function runLabel(run: AiRun, now: number): string {
  const label = `✦ ${fewModels(run.models)} · ${relativeTime(run.newest.timestamp, now)} · ${shortSession(run.session)}`;
  return label.length <= INLAY_LABEL_MAX ? label : `${label.slice(0, INLAY_LABEL_MAX - 1)}…`;
}

/** The end-of-line inlay hint / current-line label: "✦ claude-opus-4-5, 2 days ago · session 1a2b3c4d". */
export function ownerLabel(owner: LineOwnerJson, now: number): string {
  return `✦ ${shortModelName(owner.model)}, ${relativeTime(owner.timestamp, now)} · session ${shortSession(owner.sessionId)}`;
}
