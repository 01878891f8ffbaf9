// The apply_patch grammar, shell heredoc recognition, and Claude's edit application (string edits and hunks).

import { describe, expect, it } from "vitest";
import { extractPatchFromScript, hunkLinesSize, parseApplyPatch, parseUnifiedDiff, sizeOf } from "../../src/traces/apply-patch";
import { applyHunks, applyStringEdits } from "../../src/agents/claude/edits";
import { outputSucceeded } from "../../src/agents/codex/calls";
import { findHeredocWrites } from "../../src/traces/shell-heredoc";

describe("parseApplyPatch", () => {
  it("parses add, delete, update with move, several chunks and End of File", () => {
    const patch = [
      "*** Begin Patch",
      "*** Add File: a/new.txt",
      "+one",
      "+",
      "+three",
      "*** Delete File: old.txt",
      "*** Update File: src/m.py",
      "*** Move to: src/n.py",
      "@@ class A:",
      " def f(self):",
      "-    return 1",
      "+    return 2",
      "",
      "@@",
      "-tail",
      "+TAIL",
      "*** End of File",
      "*** End Patch",
    ].join("\n");
    expect(parseApplyPatch(patch)).toEqual([
      { kind: "add", path: "a/new.txt", content: "one\n\nthree\n", changeSize: 11 },
      { kind: "delete", path: "old.txt", changeSize: 0 },
      {
        kind: "update",
        path: "src/m.py",
        moveTo: "src/n.py",
        chunks: [
          { context: "class A:", oldLines: [" def f(self):".slice(1), "    return 1", ""], newLines: ["def f(self):", "    return 2", ""], endOfFile: false },
          { context: null, oldLines: ["tail"], newLines: ["TAIL"], endOfFile: true },
        ],
        changeSize: 12 + 4,
      },
    ]);
  });

  it("accepts a first chunk without @@, CRLF and indented markers; rejects non-patches", () => {
    expect(parseApplyPatch("  *** Begin Patch\r\n*** Update File: x\r\n-a\r\n+b\r\n  *** End Patch\r\n")).toEqual([
      { kind: "update", path: "x", moveTo: null, chunks: [{ context: null, oldLines: ["a"], newLines: ["b"], endOfFile: false }], changeSize: 1 },
    ]);
    expect(parseApplyPatch("just text")).toBeNull();
    expect(parseApplyPatch("*** Begin Patch\n*** End Patch")).toBeNull();
  });

  it("reads a marker behind any whitespace trim() removes, and a +/- or context line that spells one as a line", () => {
    // The per-line fast path only skips the trim for lines that cannot be a marker: these must still end the section.
    for (const space of ["", " ", "\t", "\u00a0", "\u3000", "\ufeff"]) {
      const patch = ["*** Begin Patch", "*** Update File: x", "@@", "-a", "+b", `${space}*** End of File`, `${space}*** Delete File: y`, "*** End Patch"];
      expect(parseApplyPatch(patch.join("\n"))).toEqual([
        { kind: "update", path: "x", moveTo: null, chunks: [{ context: null, oldLines: ["a"], newLines: ["b"], endOfFile: true }], changeSize: 1 },
        { kind: "delete", path: "y", changeSize: 0 },
      ]);
    }
    // A tagged line is a line of the chunk whatever it spells; a control character is not whitespace, so ends it.
    const lines = ["*** Begin Patch", "*** Update File: x", "-*** End Patch", "+*** Add File: z", " *** Move to: w", "\u0001*** End Patch", "+c"];
    expect(parseApplyPatch(lines.join("\n"))).toEqual([
      {
        kind: "update",
        path: "x",
        moveTo: null,
        chunks: [{ context: null, oldLines: ["*** End Patch", "*** Move to: w"], newLines: ["*** Add File: z", "*** Move to: w"], endOfFile: false }],
        changeSize: 17,
      },
    ]);
  });

  it("finds the patch inside shell commands", () => {
    expect(extractPatchFromScript("cd x && apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: f\n+x\n*** End Patch\nEOF")).toBe(
      "*** Begin Patch\n*** Add File: f\n+x\n*** End Patch",
    );
    expect(extractPatchFromScript("echo '*** Begin Patch'")).toBeNull();
  });

  it("parses unified diffs with and without counts", () => {
    expect(parseUnifiedDiff("--- a\n+++ b\n@@ -3 +3,2 @@ ctx\n-x\n+y\n+z\n\\ No newline at end of file\n")).toEqual([
      { oldStart: 3, oldLines: 1, newStart: 3, newLines: 2, lines: ["-x", "+y", "+z", "\\ No newline at end of file"] },
    ]);
  });
});

describe("findHeredocWrites", () => {
  it("recognises cat and tee heredoc writes in their common spellings", () => {
    const script = [
      "mkdir -p d && cat > d/a.txt <<'EOF'",
      "alpha $HOME",
      "EOF",
      'cat <<"END" >b.txt',
      "beta",
      "END",
      "cat <<-EOF | tee c.txt >/dev/null",
      "\tgamma",
      "\tEOF",
      "sudo tee /etc/d.conf <<EOF",
      "delta",
      "EOF",
      "cat > 'with space.txt' << EOF",
      "eps",
      "EOF",
    ].join("\n");
    expect(findHeredocWrites(script)).toEqual([
      { path: "d/a.txt", content: "alpha $HOME\n" },
      { path: "b.txt", content: "beta\n" },
      { path: "c.txt", content: "gamma\n" },
      { path: "/etc/d.conf", content: "delta\n" },
      { path: "with space.txt", content: "eps\n" },
    ]);
  });

  it("ignores appends, expansions in paths, other heredoc programs and unterminated bodies", () => {
    const script = [
      "cat >> log.txt <<EOF",
      "appended",
      "EOF",
      "tee -a x.txt <<EOF",
      "appended",
      "EOF",
      'cat > "$OUT" <<EOF',
      "dynamic",
      "EOF",
      "python - <<'PY'",
      "cat > inner.txt <<EOF",
      "PY",
      "cat > never.txt <<EOF",
      "no end",
    ].join("\n");
    expect(findHeredocWrites(script)).toEqual([]);
  });
});

describe("applying Claude edits", () => {
  it("applies string edits in order, honouring replaceAll and refusing ambiguity", () => {
    expect(applyStringEdits("a b a", [{ oldString: "a", newString: "c", replaceAll: true }])).toBe("c b c");
    expect(applyStringEdits("a b a", [{ oldString: "a", newString: "c", replaceAll: false }])).toBeNull();
    expect(applyStringEdits("a b", [{ oldString: "a", newString: "x", replaceAll: false }, { oldString: "x b", newString: "y", replaceAll: false }])).toBe("y");
    expect(applyStringEdits("a", [{ oldString: "zzz", newString: "y", replaceAll: false }])).toBeNull();
  });

  it("applies structuredPatch hunks at their line numbers and checks the old lines", () => {
    const text = "1\n2\n3\n4\n";
    expect(applyHunks(text, [{ oldStart: 2, oldLines: 2, newStart: 2, newLines: 2, lines: [" 2", "-3", "+three"] }])).toBe("1\n2\nthree\n4\n");
    expect(applyHunks(text, [{ oldStart: 4, oldLines: 0, newStart: 5, newLines: 1, lines: ["+5"] }])).toBe("1\n2\n3\n4\n5\n");
    expect(applyHunks(text, [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-9", "+x"] }])).toBeNull();
  });
});

describe("outputSucceeded", () => {
  it("reads exit codes from JSON metadata, text headers and success objects", () => {
    expect(outputSucceeded('{"output":"Success.","metadata":{"exit_code":0,"duration_seconds":0.1}}')).toBe(true);
    expect(outputSucceeded('{"output":"boom","metadata":{"exit_code":1}}')).toBe(false);
    expect(outputSucceeded("Exit code: 0\nWall time: 1s\nOutput:\n")).toBe(true);
    expect(outputSucceeded("Exit code: 2\nOutput:\n")).toBe(false);
    expect(outputSucceeded("Success. Updated the following files:\nM a\n")).toBe(true);
    expect(outputSucceeded({ content: "whatever", success: true })).toBe(true);
    expect(outputSucceeded("apply_patch verification failed: no match")).toBe(false);
    expect(outputSucceeded(undefined)).toBe(false);
  });
});

describe("hunkLinesSize", () => {
  it("is sizeOf of the removed and added sides joined, for every mix of sides, empty lines and context", () => {
    const joined = (lines: string[], tag: string): string =>
      lines
        .filter((l) => l.startsWith(tag))
        .map((l) => l.slice(1))
        .join("\n");
    const cases = [[], [" a"], ["-"], ["+"], ["-", "+"], ["-a", "-bb", " c", "+ddd", "+", "+e"], ["-x\r", "\\ No newline at end of file", "+é€😀"], ["", "-only"]];
    for (const lines of cases) expect(hunkLinesSize(lines), JSON.stringify(lines)).toBe(sizeOf(joined(lines, "-"), joined(lines, "+")));
  });
});
