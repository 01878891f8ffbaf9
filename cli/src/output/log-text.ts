// The human layouts of `ai-blame log`: two rows per commit (short sha, date, author, summary; then added lines, the
// AI share as a compact bar and the lines per model), and the plain-text summary of a range. Author, summary,
// models and paths come from the repository, traces or notes, so they pass through escapeControlChars.

import { escapeControlChars, type LogEntryJson, type LogSummaryJson, shortModelName } from "@ai-blame/shared";
import { fit, padRight, plural } from "./text";

const BAR = 20;

function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${((part / whole) * 100).toFixed(1)}%`;
}

/** `████████░░░░` — filled for the AI share of the added lines. */
export function shareBar(ai: number, added: number): string {
  const filled = added === 0 ? 0 : Math.round((ai / added) * BAR);
  return `${"█".repeat(filled)}${"░".repeat(BAR - filled)}`;
}

function modelList(models: Array<{ model: string; agent: string; lines: number }>): string {
  return models.map((m) => escapeControlChars(`${shortModelName(m.model)} (${m.agent}) ${m.lines}`)).join(", ");
}

export function formatLog(entries: LogEntryJson[]): string {
  if (entries.length === 0) return "(no commits)\n";
  const out: string[] = [];
  for (const e of entries) {
    const head = `${e.sha.slice(0, 8)} ${e.authorTime.slice(0, 10)} ${padRight(fit(escapeControlChars(e.author), 16), 16)} ${escapeControlChars(e.summary)}`;
    const stats = `${plural(e.added, "line")} added, ${e.ai} by AI (${percent(e.ai, e.added)})`;
    const models = e.models.length > 0 ? `  ${modelList(e.models)}` : "";
    const from = e.source === "note" ? " [note]" : "";
    out.push(head, `         ${padRight(stats, 36)} ${shareBar(e.ai, e.added)}${models}${from}`);
  }
  const added = entries.reduce((n, e) => n + e.added, 0);
  const ai = entries.reduce((n, e) => n + e.ai, 0);
  out.push("", `${plural(entries.length, "commit")}: ${plural(added, "line")} added, ${ai} by AI (${percent(ai, added)})`);
  return `${out.join("\n")}\n`;
}

export function formatSummaryText(summary: LogSummaryJson): string {
  const out = [
    `Range: ${escapeControlChars(summary.range)} (${plural(summary.commits, "commit")})`,
    `Added lines: ${summary.added}, by AI: ${summary.ai} (${percent(summary.ai, summary.added)}) ${shareBar(summary.ai, summary.added)}`,
    "",
    "By model:",
  ];
  for (const m of summary.models) out.push(`  ${padRight(fit(escapeControlChars(`${m.model} (${m.agent})`), 48), 48)} ${String(m.lines).padStart(6)}  ${percent(m.lines, summary.added)}`);
  out.push("", "By file:");
  for (const f of summary.files) out.push(`  ${padRight(fit(escapeControlChars(f.path), 48), 48)} ${String(f.ai).padStart(6)} / ${f.added}`);
  if (summary.sessions.length > 0) {
    out.push("", "Sessions:");
    for (const s of summary.sessions) {
      const prompt = s.firstPrompt ? `  ${s.firstPrompt}` : "";
      out.push(escapeControlChars(`  ${s.agent} ${s.sessionId.slice(0, 8)} (${s.models.join(", ")}; ${s.lines} lines)${prompt}`));
    }
  }
  return `${out.join("\n")}\n`;
}
