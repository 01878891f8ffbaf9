// Attribution cases of the line-attribution issue, run through the built CLI on hand-built traces: MultiEdit, Write
// over an existing file, replaceAll, a changed line whose text occurs twice, a human edit between two AI edits, an AI
// edit reverted by a later one, Claude and Codex on one file, a file deleted and created again, an empty file.

import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, CodexSession } from "./support/traces";

async function owners(p: TestProject, file: string): Promise<string[]> {
  const r = await p.run(["blame", file, "--json"]);
  expect(r.stderr).toBe("");
  const b = JSON.parse(r.stdout) as BlameJson;
  return b.lines.map((l) => `${l.text} <- ${l.owner ? `${l.owner.action} ${l.owner.toolCallId.slice(0, 8)}` : l.reason}`);
}

describe("blame cases", () => {
  it("MultiEdit: each replaced line belongs to the MultiEdit", async () => {
    const p = makeProject();
    const v1 = "a\nb\nc\nd\n";
    const s = new ClaudeSession(p.project).prompt("p").write(p.path("f"), v1).multiEdit(p.path("f"), v1, [["b\n", "B\n"], ["d\n", "D\n"]]);
    s.save(p.home);
    p.file("f", "a\nB\nc\nD\n");
    expect(await owners(p, "f")).toEqual(["a <- CREATED toolu_01", "B <- EDITED toolu_02", "c <- CREATED toolu_01", "D <- EDITED toolu_02"]);
  });

  it("Write over an existing file: kept lines keep their owner", async () => {
    const p = makeProject();
    const v1 = "a\nb\nc\n";
    new ClaudeSession(p.project).prompt("p").write(p.path("f"), v1).write(p.path("f"), "a\nX\nc\nd\n", v1).save(p.home);
    p.file("f", "a\nX\nc\nd\n");
    expect(await owners(p, "f")).toEqual(["a <- CREATED toolu_01", "X <- EDITED toolu_02", "c <- CREATED toolu_01", "d <- EDITED toolu_02"]);
  });

  it("replaceAll changes every occurrence", async () => {
    const p = makeProject();
    const v1 = "foo()\nbar()\nfoo()\n";
    new ClaudeSession(p.project).prompt("p").write(p.path("f"), v1).edit(p.path("f"), v1, "foo", "baz", true).save(p.home);
    p.file("f", "baz()\nbar()\nbaz()\n");
    expect(await owners(p, "f")).toEqual(["baz() <- EDITED toolu_02", "bar() <- CREATED toolu_01", "baz() <- EDITED toolu_02"]);
  });

  it("a line whose old text occurs twice: the patch's context decides (Claude then Codex on one file)", async () => {
    const p = makeProject();
    const v1 = "def a():\n    return 0\n\ndef b():\n    return 0\n";
    new ClaudeSession(p.project, { start: "2025-12-28T10:00:00Z" }).prompt("p").write(p.path("m.py"), v1).save(p.home);
    new CodexSession(p.project, { start: "2025-12-29T10:00:00Z" })
      .prompt("b returns 1")
      .applyPatch(`*** Update File: ${p.path("m.py")}\n@@ def b():\n-    return 0\n+    return 1\n`)
      .save(p.home);
    p.file("m.py", "def a():\n    return 0\n\ndef b():\n    return 1\n");
    expect(await owners(p, "m.py")).toEqual([
      "def a(): <- CREATED toolu_01",
      "    return 0 <- CREATED toolu_01",
      " <- CREATED toolu_01",
      "def b(): <- CREATED toolu_01",
      "    return 1 <- EDITED call_1",
    ]);
  });

  it("a human edit between two AI edits is changed outside the traces", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("f"), "a\nb\nc\n").edit(p.path("f"), "a\nB\nc\n", "c", "C").save(p.home);
    p.file("f", "a\nB\nC\n");
    expect(await owners(p, "f")).toEqual(["a <- CREATED toolu_01", "B <- changed-outside-traces", "C <- EDITED toolu_02"]);
  });

  it("an AI edit reverted by a later AI edit belongs to the revert", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("f"), "a\nb\n").edit(p.path("f"), "a\nb\n", "b", "X").edit(p.path("f"), "a\nX\n", "X", "b").save(p.home);
    p.file("f", "a\nb\n");
    expect(await owners(p, "f")).toEqual(["a <- CREATED toolu_01", "b <- EDITED toolu_03"]);
  });

  it("a file deleted and created again owes nothing to its first life", async () => {
    const p = makeProject();
    new CodexSession(p.project, { start: "2025-12-27T10:00:00Z" })
      .prompt("p")
      .applyPatch(`*** Add File: ${p.path("f")}\n+old\n+shared\n`)
      .applyPatch(`*** Delete File: ${p.path("f")}\n`)
      .save(p.home);
    new ClaudeSession(p.project, { start: "2025-12-28T10:00:00Z" }).prompt("p").write(p.path("f"), "new\nshared\n").save(p.home);
    p.file("f", "new\nshared\n");
    expect(await owners(p, "f")).toEqual(["new <- CREATED toolu_01", "shared <- CREATED toolu_01"]);
  });

  it("an empty file has no lines to show", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("empty.txt"), "").save(p.home);
    p.file("empty.txt", "");
    expect(await owners(p, "empty.txt")).toEqual([]);
    expect(await p.run(["blame", "empty.txt"])).toMatchObject({ code: 0, stdout: "(no lines to show)\n" });
    expect(await p.run(["blame", "empty.txt", "--porcelain"])).toMatchObject({ code: 0, stdout: "" });
  });
});
