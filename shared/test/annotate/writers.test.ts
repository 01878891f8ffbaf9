// The in-file writers on realistic documents: YAML keeps comments and formatting byte-for-byte outside the list,
// JSON keeps indentation and key order, comment blocks are replaced without accumulating blank lines, every writer
// is idempotent, history merges by instant, and invalid documents are refused rather than rewritten.

import { describe, expect, it } from "vitest";
import { applyCommentBlock, commentSyntaxFor, stripCommentBlock } from "../../src/annotate/comment-block";
import { formatTimestamp, mergeEntries, type HistoryEntry } from "../../src/annotate/history";
import { applyJsonHistory, stripJsonHistory } from "../../src/annotate/json-append";
import { applyYamlHistory, newSidecarText, stripYamlHistory, type TextOutcome } from "../../src/annotate/yaml-append";

const created: HistoryEntry = {
  timestamp: "2025-12-28T15:20:54.362Z",
  model: "claude-opus-4-5-20251101",
  action: "CREATED",
  agent_tool: "claude-code",
  agent_version: "2.0.75",
};
const edited: HistoryEntry = {
  timestamp: "2025-12-28T15:22:17Z",
  model: "claude-haiku-4-5-20251001",
  action: "EDITED",
  agent_tool: "claude-code",
  agent_version: "2.0",
};

function ok(outcome: TextOutcome): string {
  if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
  return outcome.text;
}

describe("YAML append", () => {
  const userYaml = `# Curated dataset config — keep this comment
name:   "my dataset"   # odd spacing kept
tags: [a, b]
nested:
    deep: 'single'
`;

  it("appends edit_history after the user's text, which stays byte-identical", () => {
    const out = ok(applyYamlHistory(userYaml, [created, edited]));
    expect(out.startsWith(userYaml)).toBe(true);
    expect(out.slice(userYaml.length)).toBe(`
edit_history:
- timestamp: 2025-12-28T15:20:54.362Z
  model: claude-opus-4-5-20251101
  action: CREATED
  agent_tool: claude-code
  agent_version: 2.0.75
- timestamp: 2025-12-28T15:22:17Z
  model: claude-haiku-4-5-20251001
  action: EDITED
  agent_tool: claude-code
  agent_version: '2.0'
`);
  });

  it("is idempotent and strips back to the original", () => {
    const once = ok(applyYamlHistory(userYaml, [created, edited]));
    expect(ok(applyYamlHistory(once, [created, edited]))).toBe(once);
    expect(stripYamlHistory(once)).toBe(userYaml);
  });

  it("replaces a list in the middle of the file, keeping the keys and comments around it", () => {
    const text = `a: 1\nedit_history:\n  - timestamp: 2025-12-28T15:20:54.362Z\n    model: unknown\n# about b\nb: 2\n`;
    const out = ok(applyYamlHistory(text, [created]));
    expect(out).toBe(
      `a: 1\nedit_history:\n- timestamp: 2025-12-28T15:20:54.362Z\n  model: claude-opus-4-5-20251101\n` +
        `  action: CREATED\n  agent_tool: claude-code\n  agent_version: 2.0.75\n# about b\nb: 2\n`,
    );
  });

  it("merges: entries at other instants are kept, a new edit adds only its entry", () => {
    const once = ok(applyYamlHistory("k: v\n", [created]));
    const twice = ok(applyYamlHistory(once, [edited]));
    expect(twice).toContain("model: claude-opus-4-5-20251101");
    expect(twice).toContain("model: claude-haiku-4-5-20251001");
    expect(twice.startsWith(once.replace(/\n$/, ""))).toBe(true);
  });

  it("keeps CRLF line endings", () => {
    const out = ok(applyYamlHistory("a: 1\r\nb: 2\r\n", [created]));
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
    expect(out.startsWith("a: 1\r\nb: 2\r\n\r\nedit_history:\r\n- timestamp:")).toBe(true);
  });

  it("handles an empty document and a comment-only document", () => {
    expect(ok(applyYamlHistory("", [created]))).toMatch(/^edit_history:\n- timestamp/);
    expect(ok(applyYamlHistory("# just a comment\n", [created]))).toMatch(/^# just a comment\n\nedit_history:\n/);
  });

  it("rewrites a flow mapping through the Document API and keeps its data", () => {
    const out = ok(applyYamlHistory("{a: 1, b: [x]}\n", [created]));
    expect(out).toContain("edit_history:");
    expect(out).toContain("a: 1");
  });

  it("refuses invalid YAML, a non-mapping root and a non-list edit_history", () => {
    const bad = applyYamlHistory("a: [1, 2\nb: 3\n", [created]);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? "" : bad.reason).toMatch(/^invalid YAML at line \d+/);
    expect(applyYamlHistory("- a\n- b\n", [created])).toEqual({ ok: false, reason: "the top level of the document is not a mapping" });
    expect(applyYamlHistory("edit_history: yes\n", [created])).toEqual({ ok: false, reason: "`edit_history` is not a list" });
  });

  it("writes a new sidecar with source_file first", () => {
    expect(newSidecarText("main.py", [edited, created])).toBe(
      `source_file: main.py\nedit_history:\n- timestamp: 2025-12-28T15:20:54.362Z\n  model: claude-opus-4-5-20251101\n` +
        `  action: CREATED\n  agent_tool: claude-code\n  agent_version: 2.0.75\n- timestamp: 2025-12-28T15:22:17Z\n` +
        `  model: claude-haiku-4-5-20251001\n  action: EDITED\n  agent_tool: claude-code\n  agent_version: '2.0'\n`,
    );
  });
});

describe("JSON append", () => {
  it("adds the member last, in the file's 4-space indentation, keeping key order", () => {
    const text = `{\n    "zeta": 1,\n    "10": "numeric-looking key",\n    "alpha": {"x": [1, 2]}\n}\n`;
    const out = ok(applyJsonHistory(text, [created]));
    expect(out).toBe(
      `{\n    "zeta": 1,\n    "10": "numeric-looking key",\n    "alpha": {"x": [1, 2]},\n    "edit_history": [\n` +
        `        {\n            "timestamp": "2025-12-28T15:20:54.362Z",\n            "model": "claude-opus-4-5-20251101",\n` +
        `            "action": "CREATED",\n            "agent_tool": "claude-code",\n            "agent_version": "2.0.75"\n` +
        `        }\n    ]\n}\n`,
    );
    expect(ok(applyJsonHistory(out, [created]))).toBe(out);
    expect(stripJsonHistory(out)).toBe(text);
  });

  it("replaces an existing member in place and keeps a compact file compact", () => {
    const text = `{"edit_history":[],"b":"}"}`;
    const out = ok(applyJsonHistory(text, [created]));
    expect(out).toBe(
      `{"edit_history":[{"timestamp":"2025-12-28T15:20:54.362Z","model":"claude-opus-4-5-20251101",` +
        `"action":"CREATED","agent_tool":"claude-code","agent_version":"2.0.75"}],"b":"}"}`,
    );
  });

  it("fills an empty object and uses tabs when the file does", () => {
    expect(ok(applyJsonHistory("{}", [created]))).toMatch(/^\{"edit_history":\[\{/);
    const tabbed = ok(applyJsonHistory(`{\n\t"a": 1\n}`, [created]));
    expect(tabbed).toMatch(/^\{\n\t"a": 1,\n\t"edit_history": \[\n\t\t\{\n\t\t\t"timestamp"/);
  });

  it("keeps a byte-order mark", () => {
    const out = ok(applyJsonHistory('\uFEFF{\n  "a": 1\n}\n', [created]));
    expect(out.startsWith('\uFEFF{\n  "a": 1,\n  "edit_history": [')).toBe(true);
  });

  it("refuses invalid JSON and a non-object root", () => {
    const bad = applyJsonHistory(`{"a": 1,}`, [created]);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? "" : bad.reason).toMatch(/^invalid JSON/);
    expect(applyJsonHistory(`[1, 2]`, [created])).toEqual({ ok: false, reason: "the top level of the document is not an object" });
  });
});

describe("comment blocks", () => {
  const py = `def main():\n    print("hi")\n`;

  it("appends a hash block after one blank line and replaces it on re-runs", () => {
    const once = ok(applyCommentBlock(py, "hash", [created]));
    expect(once).toBe(
      `${py}\n# --- edit_history ---\n# - timestamp: 2025-12-28T15:20:54.362Z\n#   model: claude-opus-4-5-20251101\n` +
        `#   action: CREATED\n#   agent_tool: claude-code\n#   agent_version: 2.0.75\n# --- end edit_history ---\n`,
    );
    expect(ok(applyCommentBlock(once, "hash", [created]))).toBe(once);
    const twice = ok(applyCommentBlock(once, "hash", [created, edited]));
    expect(twice.split("--- edit_history ---").length).toBe(2);
    expect(twice.startsWith(`${py}\n# --- edit_history ---\n`)).toBe(true);
    expect(stripCommentBlock(twice, "hash")).toBe(py);
  });

  it("replaces an HTML block (the reference accumulated them) and a slash block", () => {
    const md = "# Title\n\nText.\n";
    const once = ok(applyCommentBlock(md, "html", [created]));
    expect(once).toContain("\n<!-- edit_history\n- timestamp: 2025-12-28T15:20:54.362Z\n");
    expect(once.endsWith("-->\n")).toBe(true);
    const twice = ok(applyCommentBlock(once, "html", [created, edited]));
    expect(twice.match(/<!-- edit_history/g)?.length).toBe(1);
    expect(stripCommentBlock(twice, "html")).toBe(md);
    const ts = ok(applyCommentBlock("export const a = 1;", "slash", [created]));
    expect(ts).toMatch(/^export const a = 1;\n\n\/\/ --- edit_history ---\n\/\/ - timestamp/);
  });

  it("keeps a block where the user moved it", () => {
    const once = ok(applyCommentBlock(py, "hash", [created]));
    const moved = `${once}\nprint("added after the block")\n`;
    const again = ok(applyCommentBlock(moved, "hash", [created, edited]));
    expect(again.endsWith(`# --- end edit_history ---\n\nprint("added after the block")\n`)).toBe(true);
  });

  it("refuses an unterminated block", () => {
    const out = applyCommentBlock("x = 1\n# --- edit_history ---\n# - oops\n", "hash", [created]);
    expect(out).toEqual({ ok: false, reason: "the edit_history comment block starting at line 2 has no end marker" });
  });

  it("infers the syntax from the extension", () => {
    expect(["a.py", "b.ts", "c.md", "Makefile", "d.unknown"].map(commentSyntaxFor)).toEqual([
      "hash", "slash", "html", "hash", null,
    ]);
  });
});

describe("history", () => {
  it("formats timestamps like the reference: milliseconds only when non-zero", () => {
    expect(formatTimestamp("2025-12-28T15:22:17.000Z")).toBe("2025-12-28T15:22:17Z");
    expect(formatTimestamp("2025-12-28T15:22:17.240Z")).toBe("2025-12-28T15:22:17.240Z");
  });

  it("merges by instant: +00:00 and Z are the same instant, the fresh entry replaces the stale one", () => {
    const stale = { timestamp: "2025-12-28T15:20:54.362+00:00", model: "unknown", note: "x" };
    const older = { timestamp: "2025-01-01T00:00:00Z", model: "gpt-5" };
    const merged = mergeEntries([stale, older], [created]);
    expect(merged).toEqual([older, created]);
  });
});
