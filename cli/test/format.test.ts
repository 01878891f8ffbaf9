// Unit tests of the human and porcelain formatters on hand-made engine results: column layout, reasons of
// unattributed lines, one label per block (also when --lines starts inside a block), aliases, porcelain keys.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BlameJson, LineOwnerJson, StatsJson, TimelineEntryJson } from "@ai-blame/shared";
import { type BlameTextOptions, formatBlameText } from "../src/output/blame-text";
import { escapeValue, formatPorcelain } from "../src/output/porcelain";
import { formatStats } from "../src/output/stats-text";
import { formatTimeline } from "../src/output/timeline-text";
import { parseAlias, parseColumns, parseLineRange } from "../src/commands/blame-options";

const opus: LineOwnerJson = {
  timestamp: "2025-12-28T15:20:54.362Z",
  model: "claude-opus-4-5-20251101",
  agent: "claude-code",
  agentVersion: "2.0.75",
  sessionId: "1a2b3c4d-1111-2222-3333-444455556666",
  action: "CREATED",
  toolCallId: "toolu_01",
  promptId: "u1",
  promptText: "Create main.py\nwith a main function",
  eventId: "evt-create",
  traceFile: "/h/.claude/projects/p/s.jsonl",
};
const codex: LineOwnerJson = {
  ...opus,
  timestamp: "2025-12-29T09:05:00Z",
  model: "gpt-5-codex",
  agent: "codex-cli",
  agentVersion: null,
  sessionId: "0199aaaa-bbbb",
  action: "EDITED",
  toolCallId: "call_9",
  promptText: null,
  eventId: "evt-codex",
};

const blame: BlameJson = {
  file: "main.py",
  lines: [
    { line: 1, text: "def main():", owner: opus, reason: null },
    { line: 2, text: "    print('hi')", owner: opus, reason: null },
    { line: 3, text: "    return 0", owner: codex, reason: null },
    { line: 4, text: "", owner: null, reason: "changed-after-ai" },
    { line: 5, text: "main()", owner: null, reason: "not-in-traces" },
  ],
  blocks: [
    { start: 1, end: 2, owner: opus, reason: null },
    { start: 3, end: 3, owner: codex, reason: null },
    { start: 4, end: 4, owner: null, reason: "changed-after-ai" },
    { start: 5, end: 5, owner: null, reason: "not-in-traces" },
  ],
  created: "2025-12-28T15:20:54.362Z",
  events: 2,
  fallbacks: 0,
};

function opts(over: Partial<BlameTextOptions> = {}): BlameTextOptions {
  return {
    columns: parseColumns("SMTLC"),
    range: null,
    blocks: false,
    header: true,
    agentAliases: new Map(),
    modelAliases: new Map(),
    color: false,
    ...over,
  };
}

describe("blame text", () => {
  it("prints git-blame-like rows with session, model, time, line and code", () => {
    expect(formatBlameText(blame, opts())).toBe(
      [
        "Created: 2025-12-28 15:20",
        "",
        "session  model                timestamp         line | code",
        "-----------------------------------------------------------",
        "1a2b3c4d claude-opus-4-5      2025-12-28 15:20     1 | def main():",
        "1a2b3c4d claude-opus-4-5      2025-12-28 15:20     2 |     print('hi')",
        "0199aaaa gpt-5-codex          2025-12-29 09:05     3 |     return 0",
        "-        changed after AI     -                    4 | ",
        "-        not in traces        -                    5 | main()",
        "",
      ].join("\n"),
    );
  });

  it("labels every block once, also a block cut by --lines", () => {
    const text = formatBlameText(blame, opts({ blocks: true, header: false, range: { start: 2, end: 5 }, columns: parseColumns("mtlc") }));
    expect(text.split("\n").filter((l) => l.startsWith("block"))).toEqual([
      "block 1-2: claude-opus-4-5 2025-12-28 15:20",
      "block 3-3: gpt-5-codex 2025-12-29 09:05",
      "block 4-4: (changed after AI)",
      "block 5-5: (not in traces)",
    ]);
    expect(text.startsWith("model")).toBe(true);
  });

  it("applies agent and model aliases and the agent@version form", () => {
    const text = formatBlameText(blame, opts({
      columns: parseColumns("A M L"),
      agentAliases: new Map([["claude-code", "CC"]]),
      modelAliases: new Map([["gpt-5-codex", "codex"]]),
      range: { start: 1, end: 3 },
    }));
    expect(text.split("\n").slice(4, 7)).toEqual([
      "CC@2.0.75          claude-opus-4-5          1",
      "CC@2.0.75          claude-opus-4-5          2",
      "codex-cli          codex                    3",
    ]);
  });

  it("clamps the range and reports an empty one", () => {
    expect(formatBlameText(blame, opts({ range: { start: 9, end: 12 } }))).toBe("(no lines to show)\n");
    expect(formatBlameText({ ...blame, lines: [], blocks: [] }, opts())).toBe("(no lines to show)\n");
    const tail = formatBlameText(blame, opts({ range: { start: 5, end: 99 }, header: false }));
    expect(tail.trimEnd().split("\n")).toHaveLength(3);
  });

  it("colours blocks only when asked", () => {
    expect(formatBlameText(blame, opts())).not.toContain("\x1b[");
    const coloured = formatBlameText(blame, opts({ color: true }));
    expect(coloured).toContain("\x1b[36m1a2b3c4d");
    expect(coloured).toContain("\x1b[33m0199aaaa");
    expect(coloured).toContain("\x1b[2m-       ");
  });

  it("gives an edit one colour wherever its lines are, not one per block", () => {
    const split: BlameJson = {
      ...blame,
      lines: [
        { line: 1, text: "a", owner: opus, reason: null },
        { line: 2, text: "b", owner: codex, reason: null },
        { line: 3, text: "c", owner: { ...opus }, reason: null },
      ],
      blocks: [
        { start: 1, end: 1, owner: opus, reason: null },
        { start: 2, end: 2, owner: codex, reason: null },
        { start: 3, end: 3, owner: { ...opus }, reason: null },
      ],
    };
    const colourOf = (row: string | undefined) => /^\x1b\[(\d+)m/.exec(row ?? "")?.[1];
    for (const range of [undefined, { start: 2, end: 3 }]) {
      const rows = formatBlameText(split, opts({ color: true, header: false, blocks: true, ...(range ? { range } : {}) })).split("\n").slice(2);
      const byText = (t: string) => rows.find((r) => r.endsWith(`| ${t}`));
      expect(colourOf(byText("c"))).toBe("36");
      expect(colourOf(byText("b"))).toBe("33");
      expect(rows.filter((r) => r.includes("block 3-3")).map(colourOf)).toEqual(["36"]);
    }
  });
});

describe("porcelain", () => {
  it("prints owner keys once per owner, reasons on every unattributed line, text after a tab", () => {
    const sha = (id: string) => createHash("sha1").update(id).digest("hex");
    expect(formatPorcelain(blame, null)).toBe(
      [
        `${sha("evt-create")} 1`,
        "event-id evt-create",
        "model claude-opus-4-5-20251101",
        "agent claude-code",
        "agent-version 2.0.75",
        "session 1a2b3c4d-1111-2222-3333-444455556666",
        "timestamp 2025-12-28T15:20:54.362Z",
        "action CREATED",
        "tool-call toolu_01",
        "prompt Create main.py\\nwith a main function",
        "\tdef main():",
        `${sha("evt-create")} 2`,
        "\t    print('hi')",
        `${sha("evt-codex")} 3`,
        "event-id evt-codex",
        "model gpt-5-codex",
        "agent codex-cli",
        "session 0199aaaa-bbbb",
        "timestamp 2025-12-29T09:05:00Z",
        "action EDITED",
        "tool-call call_9",
        "\t    return 0",
        `${"0".repeat(40)} 4`,
        "reason changed-after-ai",
        "\t",
        `${"0".repeat(40)} 5`,
        "reason not-in-traces",
        "\tmain()",
        "",
      ].join("\n"),
    );
  });

  it("gives an owner's keys with its first shown line when --lines starts inside its block", () => {
    const text = formatPorcelain(blame, { start: 2, end: 2 });
    expect(text).toContain(`${createHash("sha1").update("evt-create").digest("hex")} 2\nevent-id evt-create\nmodel claude-opus-4-5-20251101\n`);
  });

  it("escapes values onto one line", () => {
    expect(escapeValue("a\\b\nc\td\r")).toBe("a\\\\b\\nc\\td\\r");
  });
});

describe("flag parsers", () => {
  it("accepts N-M ranges and rejects the rest", () => {
    expect(parseLineRange("3-7")).toEqual({ start: 3, end: 7 });
    expect(parseLineRange(" 2 - 2 ")).toEqual({ start: 2, end: 2 });
    for (const bad of ["5", "20-10", "0-3", "a-b", "1-", "-3"]) expect(() => parseLineRange(bad), bad).toThrow(/N-M/);
  });

  it("parses column letters case-insensitively and rejects unknown ones", () => {
    expect(parseColumns(" a m t l c ")).toEqual(["A", "M", "T", "L", "C"]);
    expect(() => parseColumns("MXZ")).toThrow("invalid column specifier 'X'; allowed: S,A,M,T,G,L,C");
    expect(() => parseColumns("  ")).toThrow("column list cannot be empty");
  });

  it("collects FROM=TO aliases", () => {
    expect(parseAlias(" a = b ", [["x", "y"]])).toEqual([["x", "y"], ["a", "b"]]);
    expect(() => parseAlias("ab", undefined)).toThrow("expected FROM=TO");
    expect(() => parseAlias("a=", undefined)).toThrow("alias parts cannot be empty");
  });
});

const entries: TimelineEntryJson[] = [
  { timestamp: "2025-12-01T08:00:00Z", file: "src/main.py", action: "CREATED", model: "claude-opus-4-5", agent: "claude-code", agentVersion: "2.0.75", sessionId: "s1", toolCallId: "t1", changeSize: 40 },
  { timestamp: "2025-12-01T08:05:00Z", file: "docs/" + "very-long-directory-name/".repeat(3) + "notes.md", action: "EDITED", model: "gpt-5-codex", agent: "codex-cli", agentVersion: null, sessionId: "s2", toolCallId: "t2", changeSize: 3 },
  { timestamp: "2025-12-01T09:00:00Z", file: "src/old.py", action: "DELETED", model: "claude-opus-4-5", agent: "claude-code", agentVersion: "2.0.75", sessionId: "s1", toolCallId: "t3", changeSize: 0 },
];

describe("timeline text", () => {
  it("lists newest first with the reference's columns and totals", () => {
    const lines = formatTimeline(entries, 50).split("\n");
    expect(lines.slice(0, 4)).toEqual(["", "=== Timeline of Actions ===", "Showing 3 most recent edits", ""]);
    expect(lines[6]).toBe("2025-12-01 09:00:00  DELETED    src/old.py                                         claude-opus-4-5           claude-code@2.0.75");
    expect(lines[7]).toContain("...ectory-name/very-long-directory-name/notes.md");
    expect(lines[7]).toMatch(/EDITED {5}\.\.\..{45} {3}gpt-5-codex {15}codex-cli$/);
    expect(lines.slice(-3)).toEqual(["", "Total edits found: 3", ""]);
  });

  it("says how many rows -n hid", () => {
    const text = formatTimeline(entries, 1);
    expect(text).toContain("Showing 1 most recent edit\n");
    expect(text).toContain("... and 2 more edits (use -n 0 to show all or -n <N> to show more)");
    expect(formatTimeline([], 50)).toBe("No edits found.\n");
  });
});

describe("stats text", () => {
  it("reports counts, breakdowns, skipped lines and events from deleted traces", () => {
    const stats: StatsJson = {
      traceFiles: 4, sessions: 3, events: 9, files: 5, skippedLines: 2,
      byModel: { "claude-opus-4-5": 6, "gpt-5-codex": 3 }, byAgent: { "claude-code": 6, "codex-cli": 3 },
      eventsFromDeletedTraces: 1, unreadableTraceFiles: 1, outsideProject: 0,
    };
    const text = formatStats(stats, [{ path: "/h/.claude/projects/-p", agent: "claude-code", exists: true }], "src/");
    expect(text).toBe(
      [
        "Trace folder:",
        "  /h/.claude/projects/-p (claude-code)",
        "Trace files: 4",
        "Sessions: 3",
        "",
        "Files with edits matching 'src/': 5",
        "Edit events: 9",
        "",
        "By model:",
        "  claude-opus-4-5  6",
        "  gpt-5-codex      3",
        "",
        "By agent:",
        "  claude-code  6",
        "  codex-cli    3",
        "",
        "Skipped 2 malformed lines",
        "Could not read 1 trace file (-v says why)",
        "1 event kept from deleted traces",
        "",
      ].join("\n"),
    );
  });
});
