// The human layout of `ai-blame timeline`, as the reference prints it: newest first, fixed-width columns (model and
// agent widened to their longest value shown, so rows stay aligned), long paths cut from the left, a note when `-n`
// hid rows and the total. Pure: takes entries oldest first, returns text; trace strings have their control
// characters escaped.

import { escapeCell as safe, type TimelineEntryJson } from "@ai-blame/shared";
import { type Painter, painter } from "./color";
import { agentLabel, formatSecond, padRight, plural, tailPath, widest } from "./text";

const MODEL_WIDTH = 25;
const AGENT_WIDTH = 16;

function paintAction(p: Painter, action: string, cell: string): string {
  if (action === "CREATED") return p.green(cell);
  if (action === "DELETED") return p.red(cell);
  return p.yellow(cell);
}

/** Human layout of `timeline` (pure, for tests); `entries` oldest first as the engine returns them. */
export function formatTimeline(entries: TimelineEntryJson[], limit: number, color = false, sessionIdLength = 0): string {
  if (entries.length === 0) return "No edits found.\n";
  const p = painter(color);
  const newestFirst = [...entries].reverse();
  const shown = limit > 0 ? newestFirst.slice(0, limit) : newestFirst;
  const out: string[] = ["", p.bold("=== Timeline of Actions ==="), `Showing ${shown.length} most recent ${shown.length === 1 ? "edit" : "edits"}`, ""];
  const models = shown.map((e) => safe(e.model));
  const agents = shown.map((e) => safe(agentLabel(e.agent, e.agentVersion)));
  // The reference's widths (model 25, agent 16: a 125-character rule) unless a value shown is longer, so a long
  // model id such as claude-sonnet-4-5-20250929 never pushes its row's agent out of line.
  const modelWidth = widest(models, MODEL_WIDTH);
  const agentWidth = widest(agents, AGENT_WIDTH);
  // `--show-session`: the session id's unique prefix first, as blame prints it (0 = no session column).
  const session = (id: string) => (sessionIdLength > 0 ? `${padRight(safe(id.slice(0, sessionIdLength)), sessionIdLength)} ` : "");
  const header = `${session("Session")}${padRight("Timestamp", 20)} ${padRight("Action", 10)} ${padRight("File", 50)} ${padRight("Model", modelWidth)} Agent`;
  const sessionWidth = sessionIdLength > 0 ? sessionIdLength + 1 : 0;
  out.push(p.bold(header), "-".repeat(sessionWidth + 20 + 10 + 50 + modelWidth + agentWidth + 4));
  shown.forEach((e, i) => {
    const row =
      `${session(e.sessionId)}${padRight(safe(formatSecond(e.timestamp)), 20)} ${paintAction(p, e.action, padRight(e.action, 10))} ` +
      `${padRight(tailPath(safe(e.file), 48), 50)} ${padRight(models[i] ?? "", modelWidth)} ${agents[i] ?? ""}`;
    out.push(row.trimEnd());
  });
  const hidden = newestFirst.length - shown.length;
  if (hidden > 0) {
    out.push("", `... and ${plural(hidden, "more edit")} (use -n 0 to show all or -n <N> to show more)`);
  }
  out.push("", `Total edits found: ${entries.length}`);
  return `${out.join("\n")}\n`;
}
