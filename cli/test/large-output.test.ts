// The fast paths of large outputs print exactly what the plain ones would: the blame table (cells cached per owner
// and per block) equals each line formatted on its own, porcelain equals a record-by-record rebuild, and `--json`
// written piece by piece through one buffer equals jsonForTerminal's text, also into a real file from the real CLI;
// a write that fails is still reported even though the process leaves as soon as its output is out.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BlameBlockJson, BlameJson, BlameLineJson, LineOwnerJson, UnattributedReason } from "@ai-blame/shared";
import { jsonForTerminal } from "@ai-blame/shared";
import { parseColumns } from "../src/commands/blame-options";
import type { CliIo } from "../src/io";
import { type BlameTextOptions, blockLabel, formatBlameText } from "../src/output/blame-text";
import { PIECE_CHARS, printJson } from "../src/output/json";
import { escapeValue, formatPorcelain } from "../src/output/porcelain";
import { makeProject } from "./support/project";
import { cliPath } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

function owner(n: number, over: Partial<LineOwnerJson> = {}): LineOwnerJson {
  return {
    timestamp: `2025-10-${String(1 + (n % 28)).padStart(2, "0")}T0${n % 10}:1${n % 6}:00.000Z`,
    model: n % 3 === 0 ? "gpt-5-codex" : "claude-opus-4-5-20251101",
    agent: n % 3 === 0 ? "codex-cli" : "claude-code",
    agentVersion: n % 3 === 0 ? null : "2.0.75",
    sessionId: `${String(n).padStart(8, "0")}-aaaa-bbbb`,
    action: n === 0 ? "CREATED" : "EDITED",
    toolCallId: `toolu_${n}`,
    promptId: `u${n}`,
    promptText: n % 2 === 0 ? `prompt ${n}\twith a tab\nand a line` : null,
    eventId: `evt-${n}`,
    traceFile: "/h/.claude/projects/p/s.jsonl",
    ...over,
  };
}

const REASONS: Array<UnattributedReason | null> = ["not-in-traces", "changed-after-ai", "changed-outside-traces", null];

/**
 * A blame shaped like the engine's (one owner object per edit, shared by its lines and blocks) with the cases a cache
 * could get wrong: equal owners that are different objects, a control character in a model id, unattributed lines of
 * each reason, a line whose owner is not its block's, and lines outside every block.
 */
function sampleBlame(): BlameJson {
  const owners = Array.from({ length: 7 }, (_, n) => owner(n));
  const twin = { ...owners[1] } as LineOwnerJson;
  const odd = owner(9, { model: "claude-\x1b[31mopus", agent: "x".repeat(30) });
  const lines: BlameLineJson[] = [];
  for (let i = 0; i < 120; i++) {
    const pick = Math.floor(i / 5) % 9;
    const o = pick < 7 ? owners[pick] ?? null : pick === 7 ? (i % 2 === 0 ? twin : owners[1] ?? null) : null;
    const line = o ? (i === 61 ? odd : o) : null;
    lines.push({ line: i + 1, text: `text ${i} ✓`, owner: line, reason: line ? null : (REASONS[i % 4] ?? null) });
  }
  const blocks: BlameBlockJson[] = [];
  for (let i = 0; i < 110; ) {
    const first = lines[i] as BlameLineJson;
    let end = i;
    while (end + 1 < 110 && lines[end + 1]?.owner === first.owner && lines[end + 1]?.reason === first.reason) end++;
    blocks.push({ start: i + 1, end: end + 1, owner: first.owner, reason: first.reason });
    i = end + 1;
  }
  return { file: "big.py", lines, blocks, created: owners[0]?.timestamp ?? null, events: 8, fallbacks: 0 };
}

function opts(columns: string, over: Partial<BlameTextOptions> = {}): BlameTextOptions {
  return {
    columns: parseColumns(columns),
    range: null,
    blocks: false,
    header: false,
    agentAliases: new Map([["codex-cli", "CX"]]),
    modelAliases: new Map([["claude-opus-4-5", "opus"]]),
    color: false,
    ...over,
  };
}

/** A blame of `n` lines repeating the sample's (its owners, reasons and blocks) as a file that long would have. */
function longBlame(n: number): BlameJson {
  const sample = sampleBlame();
  const lines = Array.from({ length: n }, (_, i) => ({ ...(sample.lines[i % sample.lines.length] as BlameLineJson), line: i + 1 }));
  return { ...sample, lines, blocks: [{ start: 1, end: n, owner: null, reason: "not-in-traces" }] };
}

describe("written as made", () => {
  it("the table and porcelain handed out in chunks, then the rest, are the text made whole", () => {
    const blame = longBlame(3000);
    for (const [columns, extra] of [["SMTLC", {}], ["SAMTGLC", { blocks: true, color: true }], ["LC", { range: { start: 1020, end: 2100 } }]] as const) {
      const chunks: string[] = [];
      const rest = formatBlameText(blame, opts(columns, extra), (chunk) => chunks.push(chunk));
      expect(chunks.length).toBeGreaterThan(0);
      expect(chunks.join("") + rest).toBe(formatBlameText(blame, opts(columns, extra)));
    }
    for (const range of [null, { start: 1, end: 2048 }, { start: 5, end: 9 }]) {
      const chunks: string[] = [];
      const rest = formatPorcelain(blame, range, (chunk) => chunks.push(chunk));
      expect(chunks.join("") + rest).toBe(formatPorcelain(blame, range));
    }
  });
});

describe("blame table built from cached cells", () => {
  const blame = sampleBlame();
  const layouts = ["SMTLC", "SAMTLC", "CLSA", "L", "TMC", "LCS", "MA", "SCAT"];

  it("gives every row as the same line formatted alone, in every layout, with and without colour", () => {
    for (const columns of layouts) {
      for (const color of [false, true]) {
        const rows = formatBlameText(blame, opts(columns, { color })).split("\n").slice(2);
        expect(rows).toHaveLength(blame.lines.length + 1);
        for (const line of blame.lines) {
          const alone = formatBlameText(blame, opts(columns, { color, range: { start: line.line, end: line.line } }));
          expect(rows[line.line - 1], `${columns} colour=${color} line ${line.line}`).toBe(alone.split("\n")[2]);
        }
      }
    }
  });

  it("shows the escaped model and the reason words where they belong", () => {
    const rows = formatBlameText(blame, opts("SMTLC")).split("\n");
    expect(rows[2 + 61]).toContain("claude-␛[31mopus");
    expect(rows.filter((r) => r.includes("changed after AI")).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.includes("not in traces")).length).toBeGreaterThan(0);
  });

  it("puts each block's label before its first line", () => {
    const o = opts("SAMTLC", { blocks: true });
    const withLabels = formatBlameText(blame, o).split("\n").slice(2);
    const plain = formatBlameText(blame, opts("SAMTLC")).split("\n").slice(2);
    const expected: string[] = [];
    const firstLines = new Map(blame.blocks.map((b) => [b.start, b]));
    plain.forEach((row, i) => {
      const block = firstLines.get(i + 1);
      if (block) expected.push(blockLabel(block, o));
      expected.push(row);
    });
    expect(withLabels).toEqual(expected);
  });
});

describe("porcelain built from cached owner records", () => {
  it("equals a record-by-record rebuild: keys once per id (also for equal owners that are different objects)", () => {
    const blame = sampleBlame();
    const seen = new Set<string>();
    const records = blame.lines.map((l) => {
      if (!l.owner) return `${"0".repeat(40)} ${l.line}\nreason ${l.reason ?? "not-in-traces"}\n\t${l.text}`;
      const id = createHash("sha1").update(l.owner.eventId).digest("hex");
      const head = `${id} ${l.line}\n`;
      if (seen.has(id)) return `${head}\t${l.text}`;
      seen.add(id);
      const o = l.owner;
      const pairs: Array<[string, string | null]> = [
        ["event-id", o.eventId], ["model", o.model], ["agent", o.agent], ["agent-version", o.agentVersion],
        ["session", o.sessionId], ["timestamp", o.timestamp], ["action", o.action], ["tool-call", o.toolCallId],
        ["prompt", o.promptText],
      ];
      const keys = pairs.filter(([, v]) => v !== null && v !== "").map(([k, v]) => `${k} ${escapeValue(v ?? "")}\n`);
      return `${head}${keys.join("")}\t${l.text}`;
    });
    expect(formatPorcelain(blame, null)).toBe(`${records.join("\n")}\n`);
    expect(formatPorcelain(blame, null)).toContain("prompt prompt 0\\twith a tab\\nand a line\n");
  });
});

/** An io whose stdout records what it is given; `bytes` offers writeBytesNow (and reuses nothing it was given). */
function captureIo(bytes: boolean): { io: CliIo; output: () => string } {
  const chunks: Buffer[] = [];
  const stdout: CliIo["stdout"] = { write: (text) => void chunks.push(Buffer.from(text)) };
  if (bytes) stdout.writeBytesNow = (b) => void chunks.push(Buffer.from(b));
  const io: CliIo = {
    stdout,
    stderr: { write: () => undefined },
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    width: 80,
    env: {},
    cwd: "/",
  };
  return { io, output: () => Buffer.concat(chunks).toString("utf8") };
}

describe("--json written in pieces", () => {
  // `{\n  "a": "` is 10 characters, so padding of PIECE_CHARS - 12 + k puts the emoji's surrogates across the border.
  const values: unknown[] = [];
  for (let k = 0; k < 4; k++) {
    values.push({
      a: `${"x".repeat(PIECE_CHARS - 12 + k)}😀 日本 é`,
      b: ["plain", `del\x7f and csi\x9b31m and \x85`, { deep: "\x1b[1m" }],
      c: "y".repeat(PIECE_CHARS),
    });
  }
  values.push({ small: "only ASCII", n: [1, 2.5, null, true] }, [], { e: {} }, "a string", 42);

  it("equals jsonForTerminal's text whether the sink takes bytes or text", () => {
    for (const value of values) {
      const expected = `${jsonForTerminal(value)}\n`;
      for (const bytes of [true, false]) {
        const { io, output } = captureIo(bytes);
        printJson(io, value);
        expect(output() === expected, `bytes=${bytes}`).toBe(true);
      }
    }
    expect(jsonForTerminal(values[0])).toContain("del\\u007f and csi\\u009b31m and \\u0085");
  });

  it("into a file from the CLI equals the piped output, escapes included", async () => {
    const p = makeProject();
    new ClaudeSession(p.project)
      .prompt("Make it \x7f\x9b31m 日本 😀")
      .write(p.path("m.py"), "a = '✓'\nb = 2\n")
      .save(p.home);
    p.file("m.py", "a = '✓'\nb = 2\n");
    for (const args of [["blame", "m.py", "--json"], ["blame", "m.py"], ["blame", "m.py", "--porcelain"]]) {
      const piped = await p.run(args);
      expect(piped.code).toBe(0);
      const out = join(p.root, "out.txt");
      const fd = openSync(out, "w");
      try {
        const r = spawnSync(process.execPath, [cliPath, ...args], {
          cwd: p.project,
          env: { PATH: process.env["PATH"], NO_COLOR: "1", HOME: p.home, AI_BLAME_DATA_DIR: p.data },
          stdio: ["ignore", fd, "pipe"],
        });
        expect(r.status, String(r.stderr)).toBe(0);
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(out, "utf8")).toBe(piped.stdout);
    }
    const json = (await p.run(["blame", "m.py", "--json"])).stdout;
    expect(json).toContain("Make it \\u007f\\u009b31m 日本 😀");
  });
});

describe("output that cannot be written", () => {
  it.runIf(existsSync("/dev/full"))("reports a failed write (a full device) as one error line and exit 1", () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("Make m.py").write(p.path("m.py"), "a = 1\n").save(p.home);
    p.file("m.py", "a = 1\n");
    for (const args of [["blame", "m.py"], ["blame", "m.py", "--json"], ["stats"]]) {
      const fd = openSync("/dev/full", "w");
      try {
        const r = spawnSync(process.execPath, [cliPath, ...args], {
          cwd: p.project,
          env: { PATH: process.env["PATH"], NO_COLOR: "1", HOME: p.home, AI_BLAME_DATA_DIR: p.data },
          stdio: ["ignore", fd, "pipe"],
        });
        expect(r.status, args.join(" ")).toBe(1);
        expect(String(r.stderr)).toMatch(/^ai-blame: error: cannot write output: ENOSPC[^\n]*\n$/);
      } finally {
        closeSync(fd);
      }
    }
  });
});
