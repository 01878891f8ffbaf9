// The human layout of `stats --lines`: the share of the project's current lines per owner (model and agent, changed
// after AI, no trace), then one row per directory with its AI share. Model and agent ids come from traces or notes,
// so they pass through escapeControlChars.

import { escapeCell, type LineShareJson, type LineSharesJson, shortModelName } from "@ai-blame/shared";
import { fit, padLeft, padRight, plural } from "./text";

function ownerLabel(owner: LineShareJson): string {
  if (owner.kind === "changed-after-ai") return "changed after AI";
  if (owner.kind === "no-trace") return "no trace";
  return escapeCell(`${shortModelName(owner.model ?? "")} (${owner.agent ?? ""})`);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function bar(share: number, width: number): string {
  return "█".repeat(Math.round(share * width));
}

export function formatLineShares(shares: LineSharesJson): string {
  const out = [`Current lines: ${shares.totalLines} in ${plural(shares.files, "file")}`, ""];
  for (const owner of shares.owners) {
    out.push(`  ${padRight(fit(ownerLabel(owner), 40), 40)} ${padLeft(String(owner.lines), 7)} ${padLeft(percent(owner.share), 6)}  ${bar(owner.share, 20)}`);
  }
  out.push("", "By directory:");
  for (const dir of shares.directories) {
    const ai = dir.owners.filter((o) => o.kind === "ai").reduce((sum, o) => sum + o.lines, 0);
    const share = dir.totalLines === 0 ? 0 : ai / dir.totalLines;
    const label = escapeCell(dir.directory === "." ? "./" : `${dir.directory}/`);
    out.push(`  ${padRight(fit(label, 40), 40)} ${padLeft(String(dir.totalLines), 7)} lines, AI ${padLeft(percent(share), 6)}`);
  }
  return `${out.join("\n")}\n`;
}
