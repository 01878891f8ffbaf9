// The human layout of `ai-blame blame`: git-blame-like columns (session, agent, model, time, line, code) chosen by
// the reference's column letters, optional block labels, colour by block on a terminal. Unattributed lines show `-`
// and their reason in words, so "no trace explains this line" is never confused with an AI line.

import type { BlameBlockJson, BlameJson, BlameLineJson, LineOwnerJson, UnattributedReason } from "@ai-blame/shared";
import { escapeControlChars, shortModelName } from "@ai-blame/shared";
import { painter } from "./color";
import { agentLabel, fit, formatMinute, padLeft, padRight } from "./text";

/** Column letters: S session, A agent, M model, T timestamp, L line number, C code. */
export type ColumnLetter = "S" | "A" | "M" | "T" | "L" | "C";
export const COLUMN_LETTERS: readonly ColumnLetter[] = ["S", "A", "M", "T", "L", "C"];

export interface LineRange {
  start: number;
  end: number;
}

export interface BlameTextOptions {
  columns: ColumnLetter[];
  /** 1-based inclusive, already clamped to the file; null = whole file. */
  range: LineRange | null;
  blocks: boolean;
  header: boolean;
  agentAliases: ReadonlyMap<string, string>;
  modelAliases: ReadonlyMap<string, string>;
  color: boolean;
}

const WIDTH: Record<Exclude<ColumnLetter, "C">, number> = { S: 8, A: 18, M: 20, T: 16, L: 5 };
const LABEL: Record<ColumnLetter, string> = { S: "session", A: "agent", M: "model", T: "timestamp", L: "line", C: "| code" };

/** Words for the reason a line has no AI owner (shown dimmed in the blame table). */
export const REASON_LABEL: Record<UnattributedReason, string> = {
  "not-in-traces": "not in traces",
  "changed-after-ai": "changed after AI",
  "changed-outside-traces": "changed outside AI",
};

/** The metadata value of one column for an owner (full, before width cutting), safe for a terminal. */
function ownerValue(letter: "S" | "A" | "M" | "T", owner: LineOwnerJson, opts: BlameTextOptions): string {
  return escapeControlChars(rawOwnerValue(letter, owner, opts));
}

function rawOwnerValue(letter: "S" | "A" | "M" | "T", owner: LineOwnerJson, opts: BlameTextOptions): string {
  switch (letter) {
    case "S":
      return owner.sessionId.slice(0, 8);
    case "A": {
      // The agent id keeps its `@version` (as the reference does); the label the column shows is replaced whole.
      const renamed = opts.agentAliases.get(owner.agent);
      if (renamed !== undefined) return agentLabel(renamed, owner.agentVersion);
      const label = agentLabel(owner.agent, owner.agentVersion);
      return opts.agentAliases.get(label) ?? label;
    }
    case "M": {
      // The column shows the model family (the dated suffix dropped); an alias may name the full id or that family,
      // the full id winning when both are given.
      const family = shortModelName(owner.model);
      return opts.modelAliases.get(owner.model) ?? opts.modelAliases.get(family) ?? family;
    }
    case "T":
      return formatMinute(owner.timestamp);
  }
}

/** Which metadata column carries the reason of an unattributed line: the widest one present. */
function reasonColumn(columns: ColumnLetter[]): ColumnLetter | null {
  for (const letter of ["M", "A", "T", "S"] as const) if (columns.includes(letter)) return letter;
  return null;
}

function isMeta(letter: ColumnLetter): letter is "S" | "A" | "M" | "T" {
  return letter === "S" || letter === "A" || letter === "M" || letter === "T";
}

/** The `block S-E: …` label of a block. */
export function blockLabel(block: BlameBlockJson, opts: BlameTextOptions): string {
  const head = `block ${block.start}-${block.end}`;
  if (!block.owner) return `${head}: (${block.reason ? REASON_LABEL[block.reason] : "unknown"})`;
  const owner = block.owner;
  const values = opts.columns.filter(isMeta).map((l) => ownerValue(l, owner, opts));
  return values.length > 0 ? `${head}: ${values.join(" ")}` : head;
}

/** Index of the block holding each line (1-based line → block index). */
function blockIndexByLine(blocks: BlameBlockJson[]): Map<number, number> {
  const map = new Map<number, number>();
  blocks.forEach((b, i) => {
    for (let line = b.start; line <= b.end; line++) map.set(line, i);
  });
  return map;
}

export function formatBlameText(blame: BlameJson, opts: BlameTextOptions): string {
  const total = blame.lines.length;
  const start = opts.range ? opts.range.start : 1;
  const end = opts.range ? Math.min(opts.range.end, total) : total;
  if (start > end) return "(no lines to show)\n";
  const p = painter(opts.color);
  const out: string[] = [];
  if (opts.header) {
    if (blame.created) out.push(`Created: ${escapeControlChars(formatMinute(blame.created))}`);
    out.push("");
  }
  const lastIsCode = opts.columns[opts.columns.length - 1] === "C";
  const header = opts.columns
    .map((l) => (l === "C" ? LABEL.C : l === "L" ? padLeft(LABEL.L, WIDTH.L) : padRight(LABEL[l], WIDTH[l])))
    .join(" ");
  out.push(p.bold(lastIsCode ? header : header.trimEnd()));
  out.push("-".repeat(Math.max(Array.from(header).length, 10)));
  const blockOf = blockIndexByLine(blame.blocks);
  const labelled = new Set<number>();
  const reasonCol = reasonColumn(opts.columns);
  for (let n = start; n <= end; n++) {
    const line = blame.lines[n - 1];
    if (!line) continue;
    const blockIndex = blockOf.get(n) ?? -1;
    const block = blame.blocks[blockIndex];
    const paint = (text: string) => (line.owner ? p.pick(blockIndex, text) : p.dim(text));
    if (opts.blocks && block && !labelled.has(blockIndex)) {
      labelled.add(blockIndex);
      out.push(paint(blockLabel(block, opts)));
    }
    const row = opts.columns.map((l) => cell(l, line, reasonCol, opts, paint)).join(" ");
    out.push(lastIsCode ? row : row.trimEnd());
  }
  return `${out.join("\n")}\n`;
}

function cell(
  letter: ColumnLetter,
  line: BlameLineJson,
  reasonCol: ColumnLetter | null,
  opts: BlameTextOptions,
  paint: (text: string) => string,
): string {
  if (letter === "C") return `| ${line.text}`;
  if (letter === "L") return padLeft(String(line.line), WIDTH.L);
  const width = WIDTH[letter];
  if (line.owner) return paint(padRight(ownerValue(letter, line.owner, opts), width));
  if (letter === reasonCol && line.reason) return paint(padRight(fit(REASON_LABEL[line.reason], width), width));
  return paint(padRight("-", width));
}
