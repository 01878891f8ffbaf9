// The human layout of `ai-blame blame`: git-blame-like columns (session, agent, model, time, line, code) chosen by
// the reference's column letters, optional block labels, one colour per edit on a terminal. Unattributed lines show
// `-` and their reason in words, so "no trace explains this line" is never confused with an AI line. A row depends
// only on its line and owner, so cells are built once per owner (painted or not) and reused.

import type { BlameBlockJson, BlameJson, BlameLineJson, LineOwnerJson, UnattributedReason } from "@ai-blame/shared";
import { escapeCell, shortModelName } from "@ai-blame/shared";
import { type Painter, painter } from "./color";
import { agentLabel, fit, formatMinute, padLeft, padRight } from "./text";

/** Column letters: S session, A agent, M model, T timestamp, G git commit, L line number, C code. */
export type ColumnLetter = "S" | "A" | "M" | "T" | "G" | "L" | "C";
export const COLUMN_LETTERS: readonly ColumnLetter[] = ["S", "A", "M", "T", "G", "L", "C"];

export interface LineRange {
  start: number;
  end: number;
}

/** The lines to show: one range or several (`-L` repeated; sorted, not overlapping), null for the whole file. */
export type LineSelection = LineRange | readonly LineRange[] | null;

/** The 1-based numbers of the selected lines of a file of `total` lines, in order (ranges cut to the file). */
export function selectedLines(selection: LineSelection, total: number): Int32Array {
  const ranges = selection === null ? [{ start: 1, end: total }] : "start" in selection ? [selection] : selection;
  const cut = ranges.map((r) => ({ start: Math.max(r.start, 1), end: Math.min(r.end, total) })).filter((r) => r.start <= r.end);
  const lines = new Int32Array(cut.reduce((n, r) => n + r.end - r.start + 1, 0));
  let at = 0;
  for (const r of cut) for (let n = r.start; n <= r.end; n++) lines[at++] = n;
  return lines;
}

export interface BlameTextOptions {
  columns: ColumnLetter[];
  /** 1-based inclusive lines to show (cut to the file here); null = whole file. */
  range: LineSelection;
  blocks: boolean;
  header: boolean;
  agentAliases: ReadonlyMap<string, string>;
  modelAliases: ReadonlyMap<string, string>;
  color: boolean;
  /** Characters of the session id shown (a prefix unique among the project's sessions); default 8. */
  sessionIdLength?: number;
}

const WIDTH: Record<Exclude<ColumnLetter, "C">, number> = { S: 8, A: 18, M: 20, T: 16, G: 8, L: 5 };
const LABEL: Record<ColumnLetter, string> = {
  S: "session",
  A: "agent",
  M: "model",
  T: "timestamp",
  G: "commit",
  L: "line",
  C: "| code",
};

/** The commit cell: short sha, git's zeros for a line not committed yet, `-` outside a git repository. */
function commitCell(line: BlameLineJson): string {
  if (line.commit === undefined) return padRight("-", WIDTH.G);
  return line.commit === null ? "0".repeat(WIDTH.G) : line.commit.sha.slice(0, WIDTH.G);
}

/** Words for the reason a line has no AI owner (shown dimmed in the blame table). */
export const REASON_LABEL: Record<UnattributedReason, string> = {
  "not-in-traces": "not in traces",
  "changed-after-ai": "changed after AI",
  "changed-outside-traces": "changed outside AI",
};

/** The metadata value of one column for an owner (full, before width cutting), safe for a terminal. */
function ownerValue(letter: "S" | "A" | "M" | "T", owner: LineOwnerJson, opts: BlameTextOptions): string {
  return escapeCell(rawOwnerValue(letter, owner, opts));
}

function rawOwnerValue(letter: "S" | "A" | "M" | "T", owner: LineOwnerJson, opts: BlameTextOptions): string {
  switch (letter) {
    case "S":
      return owner.sessionId.slice(0, opts.sessionIdLength ?? WIDTH.S);
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

function sessionWidth(opts: BlameTextOptions): number {
  return Math.max(WIDTH.S, opts.sessionIdLength ?? WIDTH.S);
}

/** Which metadata column carries the reason of an unattributed line: the widest one present. */
function reasonColumn(columns: ColumnLetter[]): ColumnLetter | null {
  for (const letter of ["M", "A", "T", "S"] as const) if (columns.includes(letter)) return letter;
  return null;
}

function isMeta(letter: ColumnLetter): letter is "S" | "A" | "M" | "T" {
  return letter === "S" || letter === "A" || letter === "M" || letter === "T";
}

/** The code column's separator: `~` for a line reformatted since its owner wrote it, `>` for one moved since. */
function codeSeparator(line: BlameLineJson | BlameBlockJson): string {
  return line.moved ? ">" : line.reformatted ? "~" : "|";
}

/** The `block S-E: …` label of a block (with "(reformatted since)" / "(moved since)" when flagged). */
export function blockLabel(block: BlameBlockJson, opts: BlameTextOptions): string {
  const head = `block ${block.start}-${block.end}`;
  if (!block.owner) return `${head}: (${block.reason ? REASON_LABEL[block.reason] : "unknown"})`;
  const owner = block.owner;
  const values = opts.columns.filter(isMeta).map((l) => ownerValue(l, owner, opts));
  if (block.reformatted) values.push("(reformatted since)");
  if (block.moved) values.push("(moved since)");
  return values.length > 0 ? `${head}: ${values.join(" ")}` : head;
}

/** Index of the block holding each line (`[line]` → block index, -1 for none); later blocks win, as listed. */
function blockIndexByLine(blocks: BlameBlockJson[], total: number): Int32Array {
  const map = new Int32Array(total + 1).fill(-1);
  blocks.forEach((b, i) => map.fill(i, Math.max(b.start, 0), Math.min(b.end, total) + 1));
  return map;
}

/** A row's columns with neighbouring metadata columns merged: a run index into `RowParts.runs`, or L or C. */
type LayoutItem = number | "G" | "L" | "C";

function layoutOf(columns: ColumnLetter[]): { layout: LayoutItem[]; runs: ColumnLetter[][] } {
  const layout: LayoutItem[] = [];
  const runs: ColumnLetter[][] = [];
  for (const letter of columns) {
    if (letter === "G" || letter === "L" || letter === "C") {
      layout.push(letter);
      continue;
    }
    const lastItem = layout[layout.length - 1];
    if (typeof lastItem === "number") runs[lastItem]?.push(letter);
    else {
      layout.push(runs.length);
      runs.push([letter]);
    }
  }
  return { layout, runs };
}

/**
 * Builds the metadata part of rows. A file has a few hundred owners for thousands of lines, so each owner's (and
 * each reason's) padded cells are made once, and with colour each owner's painted runs once. The colour follows the
 * edit: each edit of the file gets the next palette colour in the order its lines first appear, so one edit has one
 * colour wherever its lines are, also when `--lines` shows only part of the file.
 */
class RowMaker {
  private readonly plainByOwner = new Map<LineOwnerJson, { cells: Map<ColumnLetter, string>; runs: string[] }>();
  private readonly plainByReason = new Map<UnattributedReason | null, { cells: Map<ColumnLetter, string>; runs: string[] }>();
  private readonly paintedByOwner = new Map<LineOwnerJson, string[]>();
  private readonly paintedByReason = new Map<UnattributedReason | null, string[]>();
  private readonly colorByEvent = new Map<string, number>();
  /** Padded owner cells by column letter and the owner values they show (see ownerCell). */
  private readonly cellByValue = new Map<string, string>();
  private readonly reasonCol: ColumnLetter | null;
  readonly layout: LayoutItem[];
  private readonly runLetters: ColumnLetter[][];

  constructor(
    private readonly opts: BlameTextOptions,
    private readonly p: Painter,
    blocks: readonly BlameBlockJson[],
  ) {
    this.reasonCol = reasonColumn(opts.columns);
    const { layout, runs } = layoutOf(opts.columns);
    this.layout = layout;
    this.runLetters = runs;
    if (p.enabled) {
      for (const block of blocks) {
        const id = block.owner?.eventId;
        if (id !== undefined && !this.colorByEvent.has(id)) this.colorByEvent.set(id, this.colorByEvent.size);
      }
    }
  }

  /** The padded, unpainted metadata cells and runs of a line's owner (or of its reason when it has none). */
  private plain(line: BlameLineJson): { cells: Map<ColumnLetter, string>; runs: string[] } {
    const owner = line.owner;
    const known = owner ? this.plainByOwner.get(owner) : this.plainByReason.get(line.reason);
    if (known !== undefined) return known;
    const cells = new Map<ColumnLetter, string>();
    for (const letter of this.opts.columns) {
      if (!isMeta(letter)) continue;
      const width = letter === "S" ? sessionWidth(this.opts) : WIDTH[letter];
      let cell: string;
      if (owner) cell = this.ownerCell(letter, owner, width);
      else if (letter === this.reasonCol && line.reason) cell = padRight(fit(REASON_LABEL[line.reason], width), width);
      else cell = padRight("-", width);
      cells.set(letter, cell);
    }
    const made = { cells, runs: this.runLetters.map((letters) => letters.map((l) => cells.get(l) ?? "").join(" ")) };
    if (owner) this.plainByOwner.set(owner, made);
    else this.plainByReason.set(line.reason, made);
    return made;
  }

  /**
   * An owner's padded cell of a metadata column, made once per value it shows: the owners of a file's lines share a
   * few sessions and models, and each cell escapes and measures its value.
   */
  private ownerCell(letter: "S" | "A" | "M" | "T", owner: LineOwnerJson, width: number): string {
    const agent = (): string => `${owner.agent}\0${owner.agentVersion ?? ""}\0${owner.agentVersion === null}`;
    const key = letter + (letter === "S" ? owner.sessionId : letter === "M" ? owner.model : letter === "T" ? owner.timestamp : agent());
    let cell = this.cellByValue.get(key);
    if (cell === undefined) {
      cell = padRight(ownerValue(letter, owner, this.opts), width);
      this.cellByValue.set(key, cell);
    }
    return cell;
  }

  /** How a line's cells are painted: in its edit's colour when it has an owner, dimmed when not. */
  paint(owner: LineOwnerJson | null, text: string): string {
    return owner ? this.p.pick(this.colorByEvent.get(owner.eventId) ?? 0, text) : this.p.dim(text);
  }

  /** The metadata runs of a line's row, as the layout's run indexes address them. */
  runs(line: BlameLineJson): string[] {
    const plain = this.plain(line);
    if (!this.p.enabled) return plain.runs;
    const owner = line.owner;
    const known = owner ? this.paintedByOwner.get(owner) : this.paintedByReason.get(line.reason);
    if (known !== undefined) return known;
    const runs = this.runLetters.map((letters) => letters.map((letter) => this.paint(owner, plain.cells.get(letter) ?? "")).join(" "));
    if (owner) this.paintedByOwner.set(owner, runs);
    else this.paintedByReason.set(line.reason, runs);
    return runs;
  }
}

/** Rows `formatBlameText` hands to its `emit` at a time. */
const CHUNK_ROWS = 1024;

/**
 * The table as text. With `emit`, rows are handed to it as they are made, a chunk at a time, and only the last
 * ones returned: a 10,000-line file's rows held until the end all survived the young generation's collections
 * (copied, then promoted and marked: ~40 ms of a warm blame's collections).
 */
export function formatBlameText(blame: BlameJson, opts: BlameTextOptions, emit?: (text: string) => void): string {
  const total = blame.lines.length;
  const shown = selectedLines(opts.range, total);
  if (shown.length === 0) return "(no lines to show)\n";
  const p = painter(opts.color);
  let out: string[] = [];
  if (opts.header) {
    if (blame.created) out.push(`Created: ${escapeCell(formatMinute(blame.created))}`);
    out.push("");
  }
  const columns = opts.columns;
  const lastIsCode = columns[columns.length - 1] === "C";
  const header = columns
    .map((l) =>
      l === "C" ? LABEL.C : l === "L" ? padLeft(LABEL.L, WIDTH.L) : padRight(LABEL[l], l === "S" ? sessionWidth(opts) : WIDTH[l]),
    )
    .join(" ");
  out.push(p.bold(lastIsCode ? header : header.trimEnd()));
  out.push("-".repeat(Math.max(Array.from(header).length, 10)));
  const blockOf = blockIndexByLine(blame.blocks, total);
  const labelled = new Set<number>();
  const rows = new RowMaker(opts, p, blame.blocks);
  const layout = rows.layout;
  // The default layouts (metadata, then line number and code): one template per row.
  const metaLineCode = layout.length === 3 && layout[0] === 0 && layout[1] === "L" && layout[2] === "C";
  // Neighbouring lines mostly share owner and block, so their runs are reused without a lookup. Indexed loops and
  // the common row's cells inline: this runs once per line of the file before V8 has optimized any of it.
  let last: BlameLineJson | null = null;
  let lastBlock = -1;
  let runs: string[] = [];
  let first = "";
  const lines = blame.lines;
  const lineWidth = WIDTH.L;
  for (let k = 0; k < shown.length; k++) {
    const n = shown[k] as number;
    const line = lines[n - 1];
    if (!line) continue;
    const blockIndex = blockOf[n] ?? -1;
    if (opts.blocks && !labelled.has(blockIndex)) {
      const block = blame.blocks[blockIndex];
      if (block) {
        labelled.add(blockIndex);
        out.push(rows.paint(block.owner, blockLabel(block, opts)));
      }
    }
    if (last === null || line.owner !== last.owner || line.reason !== last.reason || blockIndex !== lastBlock) {
      runs = rows.runs(line);
      first = runs[0] ?? "";
      last = line;
      lastBlock = blockIndex;
    }
    if (metaLineCode) {
      out.push(`${first} ${String(line.line).padStart(lineWidth)} ${codeSeparator(line)} ${line.text}`);
      if (emit !== undefined && out.length >= CHUNK_ROWS) {
        emit(`${out.join("\n")}\n`);
        out = [];
      }
      continue;
    }
    let row = "";
    for (let i = 0; i < layout.length; i++) {
      const item = layout[i];
      // Line numbers are ASCII digits, so padStart pads by characters as padLeft does.
      const cell =
        item === "C"
          ? `${codeSeparator(line)} ${line.text}`
          : item === "L"
            ? String(line.line).padStart(WIDTH.L)
            : item === "G"
              ? commitCell(line)
              : (runs[item as number] ?? "");
      row = i === 0 ? cell : `${row} ${cell}`;
    }
    out.push(lastIsCode ? row : row.trimEnd());
    if (emit !== undefined && out.length >= CHUNK_ROWS) {
      emit(`${out.join("\n")}\n`);
      out = [];
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
