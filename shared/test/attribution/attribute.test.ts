// Attribution of one file through realistic edit histories: each case replays Claude/Codex events built like the
// parsers emit them and compares every line's owner with a hand-built expectation (`?after`, `?outside`, `?none`
// are the null reasons changed-after-ai, changed-outside-traces, not-in-traces).

import { describe, expect, it } from "vitest";
import { attributeFile, isBinaryText, toLineOwner } from "../../src/attribution";
import { check, chunk, History, hunksOf, text } from "./support";

describe("attributeFile", () => {
  it("create then edit: the edit owns the changed line, the create the rest", () => {
    const h = new History();
    const v1 = text("import fs from 'node:fs';", "", "export function load() {", "  return 1;", "}");
    const v2 = text("import fs from 'node:fs';", "", "export function load() {", "  return fs.readFileSync('x', 'utf8');", "}");
    const e1 = h.write("e1", v1);
    h.edit("e2", [["  return 1;", "  return fs.readFileSync('x', 'utf8');"]], { before: v1, after: v2 });
    const r = check(h, v2, ["e1", "e1", "e1", "e2", "e1"]);
    expect(r.created).toBe(e1.timestamp);
    expect(r.lines[3]?.owner).toEqual(toLineOwner(h.events[1]!));
    expect(r.lines[3]?.text).toBe("  return fs.readFileSync('x', 'utf8');");
    expect(r.blocks).toEqual([
      { start: 1, end: 3, owner: toLineOwner(e1), reason: null },
      { start: 4, end: 4, owner: toLineOwner(h.events[1]!), reason: null },
      { start: 5, end: 5, owner: toLineOwner(e1), reason: null },
    ]);
  });

  it("MultiEdit: sub-edits apply in order, each to the previous result (no after recorded)", () => {
    const h = new History();
    const v1 = text("a", "b", "c", "d", "e");
    h.write("e1", v1);
    // The second edit's old string only exists after the first one applied.
    h.edit("e2", [["b\n", "B1\nB2\n"], ["B2\nc", "B2\nC"], ["e", "E"]], { before: v1 });
    check(h, text("a", "B1", "B2", "C", "d", "E"), ["e1", "e2", "e2", "e2", "e1", "e2"]);
  });

  it("Write over an existing file: unchanged pre-existing lines stay not-in-traces", () => {
    const h = new History();
    const before = text("# Notes", "old line", "keep me");
    const after = text("# Notes", "new line", "keep me", "added");
    h.write("e1", after, { before });
    const r = check(h, after, ["?none", "e1", "?none", "e1"]);
    expect(r.created).toBeNull();
  });

  it("replaceAll replaces every occurrence", () => {
    const h = new History();
    h.write("e1", text("foo();", "bar();", "foo();"));
    h.edit("e2", [["foo", "baz", true]]);
    check(h, text("baz();", "bar();", "baz();"), ["e2", "e1", "e2"]);
  });

  it("an old string that occurs twice is placed by the hunk's line number", () => {
    const h = new History();
    const v1 = text("function a() {", "  let x = 1;", "  return 0;", "}", "", "", "", "function b() {", "  return 0;", "}");
    const v2 = text("function a() {", "  let x = 1;", "  return 0;", "}", "", "", "", "function b() {", "  return 42;", "}");
    h.write("e1", v1);
    // No originalFile and no computed after: only the edit and its structuredPatch (old range 6–10).
    h.edit("e2", [["  return 0;", "  return 42;"]], { hunks: hunksOf(v1, v2) });
    expect(h.events[1]!.change.hunks?.[0]?.oldStart).toBe(6);
    check(h, v2, ["e1", "e1", "e1", "e1", "e1", "e1", "e1", "e1", "e2", "e1"]);
  });

  it("a human edit between two AI edits is changed-outside-traces", () => {
    const h = new History();
    const v1 = text("one", "two", "three", "four");
    const human = text("one", "TWO (by hand)", "inserted by hand", "three", "four");
    const v2 = text("one", "TWO (by hand)", "inserted by hand", "three", "FOUR");
    h.write("e1", v1);
    h.edit("e2", [["four", "FOUR"]], { before: human, after: v2 });
    check(h, v2, ["e1", "?outside", "?outside", "e1", "e2"]);
  });

  it("a human edit after the last AI edit is changed-after-ai", () => {
    const h = new History();
    const v1 = text("const a = 1;", "const b = 2;", "const c = 3;");
    h.write("e1", v1);
    const current = text("const a = 1;", "const b = 20; // tuned", "// a note", "const c = 3;");
    check(h, current, ["e1", "?after", "?after", "e1"]);
  });

  it("an AI edit reverted by a later AI edit", () => {
    const h = new History();
    const v1 = text("a", "b", "c");
    const v2 = text("a", "b", "debug 1", "debug 2", "c");
    h.write("e1", v1);
    h.edit("e2", [["b\n", "b\ndebug 1\ndebug 2\n"]], { before: v1, after: v2 });
    h.edit("e3", [["debug 1\ndebug 2\n", ""]], { before: v2, after: v1 });
    check(h, v1, ["e1", "e1", "e1"]);
    // A revert that rewrites a line hands it to the reverting event.
    const g = new History();
    g.write("e1", text("x = 1"));
    g.edit("e2", [["x = 1", "x = 2"]], { before: text("x = 1"), after: text("x = 2") });
    g.edit("e3", [["x = 2", "x = 1"]], { before: text("x = 2"), after: text("x = 1") });
    check(g, text("x = 1"), ["e3"]);
  });

  it("Claude and Codex edits interleaved: Codex chunks apply to the reconstructed content", () => {
    const h = new History();
    const v1 = text("def main():", "    print(\"hello\")", "", "", "if __name__ == \"__main__\":", "    main()");
    h.write("e1", v1);
    // Codex: a plain chunk, then one sought after its `@@` context line.
    h.codexUpdate("e2", [
      chunk([" def main():", "-    print(\"hello\")", "+    name = input()", "+    print(f\"hello {name}\")"], null),
      chunk(["-    main()", "+    main()  # entry"], "if __name__ == \"__main__\":"),
    ]);
    const v2 = text("def main():", "    name = input()", "    print(f\"hello {name}\")", "", "", "if __name__ == \"__main__\":", "    main()  # entry");
    // Claude edits next, with originalFile equal to what Codex wrote: no outside change.
    const v3 = text("import sys", "", "def main():", "    name = input()", "    print(f\"hello {name}\")", "", "", "if __name__ == \"__main__\":", "    main()  # entry");
    h.edit("e3", [["def main():", "import sys\n\ndef main():"]], { before: v2, after: v3 });
    // Codex again, anchored at the end of the file.
    h.codexUpdate("e4", [chunk(["-    main()  # entry", "+    sys.exit(main())"], null, true)]);
    const current = text("import sys", "", "def main():", "    name = input()", "    print(f\"hello {name}\")", "", "", "if __name__ == \"__main__\":", "    sys.exit(main())");
    check(h, current, ["e3", "e3", "e1", "e2", "e2", "e1", "e1", "e1", "e4"]);
  });

  it("Codex chunks find lines with typographic punctuation and stray whitespace", () => {
    const h = new History();
    h.codexAdd("e1", text("title = “Report” — draft", "size = 3   ", "end"));
    h.codexUpdate("e2", [chunk(["-title = \"Report\" - draft", "+title = \"Report\"", " size = 3"], null)]);
    // Like Codex, the context line is written back as the patch spells it (trailing spaces gone).
    check(h, text("title = \"Report\"", "size = 3", "end"), ["e2", "e2", "e1"]);
  });

  it("a file deleted and created again starts a new history", () => {
    const h = new History();
    h.write("e1", text("old 1", "shared", "old 2"));
    h.codexDelete("e2");
    const e3 = h.codexAdd("e3", text("shared", "new"));
    const r = check(h, text("shared", "new"), ["e3", "e3"]);
    expect(r.created).toBe(e3.timestamp);
    // Re-created by hand after the deletion: nothing is carried over.
    const g = new History();
    g.write("e1", text("a", "b"));
    g.codexDelete("e2");
    expect(check(g, text("a", "b"), ["?none", "?none"]).created).toBeNull();
  });

  it("CRLF on disk and in originalFile does not change owners", () => {
    const h = new History();
    h.write("e1", text("alpha", "beta", "gamma"));
    // Claude records LF; the file on disk was converted to CRLF by git (autocrlf).
    h.edit("e2", [["beta", "BETA"]], { before: "alpha\r\nbeta\r\ngamma\r\n", after: "alpha\r\nBETA\r\ngamma\r\n" });
    const r = check(h, "alpha\r\nBETA\r\ngamma\r\nhand\r\n", ["e1", "e2", "e1", "?after"]);
    expect(r.lines.map((l) => l.text)).toEqual(["alpha", "BETA", "gamma", "hand"]);
  });

  it("a missing final newline does not shift or change lines", () => {
    const h = new History();
    h.write("e1", "a\nb");
    h.edit("e2", [["b", "b\nc"]]);
    check(h, "a\nb\nc", ["e1", "e1", "e2"]);
    check(h, "a\nb\nc\n", ["e1", "e1", "e2"]);
    const r = check(h, "a\nb\nc\n\n", ["e1", "e1", "e2", "?after"]);
    expect(r.lines[3]?.text).toBe("");
  });

  it("an empty current file has no lines and no blocks", () => {
    const h = new History();
    h.write("e1", text("x"));
    const r = check(h, "", []);
    expect(r.blocks).toEqual([]);
    expect(check(new History(), "", []).lines).toEqual([]);
  });

  it("an edit whose old text is missing falls back to locating its new text", () => {
    const h = new History();
    h.write("e1", text("a", "b", "c"));
    // A human changed b → b2 without a trace; the edit (no before/after/hunks) replaces b2.
    h.edit("e2", [["b2\n", "B2 line one\nB2 line two\n"]]);
    check(h, text("a", "B2 line one", "B2 line two", "c"), ["e1", "e2", "e2", "e1"], 1);
  });

  it("falls back for a Codex update of a file whose earlier content is unknown", () => {
    const h = new History();
    h.codexUpdate("e1", [chunk([" fn main() {", "-    todo!()", "+    run();", "+    report();", " }"], null)]);
    check(h, text("use std::io;", "", "fn main() {", "    run();", "    report();", "}"), ["?none", "?none", "?none", "e1", "e1", "?none"], 1);
  });

  it("a fallback places a twice-present new text at the hunk's line and never takes replayed lines", () => {
    const h = new History();
    const current = text("x", "log();", "y", "z", "w", "v", "log();", "u");
    h.write("e1", text("x", "y", "z", "w", "v", "u"));
    // Unreplayable (its old text "v2" was a human change, and so were the hunk's context lines since): only the
    // added line can be located, twice, and the hunk says it is line 7.
    h.edit("e2", [["v2", "log();"]], {
      hunks: [{ oldStart: 6, oldLines: 3, newStart: 6, newLines: 3, lines: [" v0", "-v2", "+log();", " u0"] }],
    });
    check(h, current, ["e1", "?after", "e1", "e1", "e1", "e1", "e2", "e1"], 1);
  });

  it("Codex updates recorded as unified-diff hunks (patch_apply_end) replay on the chain", () => {
    const h = new History();
    const v1 = text("[package]", "name = \"demo\"", "version = \"0.1.0\"", "", "[dependencies]");
    const v2 = text("[package]", "name = \"demo\"", "version = \"0.2.0\"", "", "[dependencies]", "serde = \"1\"");
    h.codexAdd("e1", v1);
    const e2 = h.codexUpdate("e2", []);
    e2.change.hunks = hunksOf(v1, v2);
    check(h, v2, ["e1", "e1", "e2", "e1", "e1", "e2"]);
  });

  it("an edit that records no content (NotebookEdit) counts as a fallback and leaves the chain as it was", () => {
    const h = new History();
    h.write("e1", text("{", "  \"cells\": []", "}"));
    const e2 = h.write("e2", text("x"));
    e2.change = {};
    e2.toolName = "NotebookEdit";
    check(h, text("{", "  \"cells\": [1]", "}"), ["e1", "?after", "e1"], 1);
  });

  it("a file moved away by Codex starts a new history at the old path", () => {
    const h = new History();
    h.codexAdd("e1", text("a", "b"));
    const e2 = h.codexUpdate("e2", [chunk(["-a", "+A"])]);
    e2.action = "DELETED";
    e2.change.movedTo = "/home/alice/project/src/moved.ts";
    check(h, text("a", "b"), ["?none", "?none"]);
  });

  it("de-duplicates events with the same id and sorts them by time", () => {
    const h = new History();
    const v1 = text("a");
    const v2 = text("a", "b");
    h.write("e1", v1, { at: "2025-11-03T10:00:00.000Z" });
    h.edit("e2", [["a", "a\nb"]], { before: v1, after: v2, at: "2025-11-03T11:00:00.000Z" });
    const events = [h.events[1]!, h.events[0]!, { ...h.events[1]!, traceFile: "/home/alice/.claude/projects/-home-alice-project/fork.jsonl" }];
    const r = attributeFile(events, h.store, v2);
    expect(r.lines.map((l) => l.owner?.eventId)).toEqual(["e1", "e2"]);
    expect(r.events).toBe(2);
  });

  it("groups unattributed runs into blocks by reason", () => {
    const h = new History();
    h.write("e1", text("a", "b"), { before: text("p", "a", "q") });
    const r = check(h, text("a", "h1", "h2", "b"), ["?none", "?after", "?after", "e1"]);
    expect(r.blocks.map((b) => [b.start, b.end, b.reason, b.owner?.eventId ?? null])).toEqual([
      [1, 1, "not-in-traces", null],
      [2, 3, "changed-after-ai", null],
      [4, 4, null, "e1"],
    ]);
    // A line the AI removed and a human put back is the human's.
    check(h, text("p", "a", "b"), ["?after", "?none", "e1"]);
  });
});

describe("isBinaryText", () => {
  it("detects NUL bytes in the first 8 KB only", () => {
    expect(isBinaryText("plain text\n")).toBe(false);
    expect(isBinaryText("PK\u0003\u0004\u0000\u0000")).toBe(true);
    expect(isBinaryText(`${"x".repeat(9000)}\u0000`)).toBe(false);
  });
});
