// `ai-blame blame` through the built CLI on hand-built Claude traces: who wrote each line after a create and an edit,
// human edits after the AI, CRLF and a missing final newline, --lines, --blocks (one label per block), --porcelain,
// and the JSON contract as it is.

import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const V1 = "def main():\n    print('hello')\n    return 0\n";
const V2 = "def main():\n    print('hello, world')\n    return 0\n";

/** main.py created by Write, then line 2 changed by Edit; a failed Edit in between must be ignored. */
function createThenEdit(): { p: TestProject; s: ClaudeSession } {
  const p = makeProject();
  const file = p.path("main.py");
  const s = new ClaudeSession(p.project)
    .prompt("Create main.py with a main function")
    .write(file, V1)
    .failedEdit(file, "no such text", "x")
    .prompt("Greet the world instead")
    .edit(file, V1, "print('hello')", "print('hello, world')", false, "claude-sonnet-4-5-20250929");
  s.save(p.home);
  return { p, s };
}

async function blameJson(p: TestProject, file: string): Promise<BlameJson> {
  const r = await p.run(["blame", file, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as BlameJson;
}

function owners(b: BlameJson): Array<string | null> {
  return b.lines.map((l) => (l.owner ? `${l.owner.action}:${l.owner.model}` : l.reason));
}

describe("blame", () => {
  it("attributes a create then an edit, line by line (--json is the contract)", async () => {
    const { p, s } = createThenEdit();
    p.file("main.py", V2);
    const b = await blameJson(p, "main.py");
    expect(b.file).toBe("main.py");
    expect(b.lines.map((l) => [l.line, l.text])).toEqual([
      [1, "def main():"],
      [2, "    print('hello, world')"],
      [3, "    return 0"],
    ]);
    expect(owners(b)).toEqual([
      "CREATED:claude-opus-4-5-20251101",
      "EDITED:claude-sonnet-4-5-20250929",
      "CREATED:claude-opus-4-5-20251101",
    ]);
    expect(b.lines[1]?.owner).toMatchObject({
      agent: "claude-code",
      agentVersion: "2.0.75",
      sessionId: s.sessionId,
      promptText: expect.stringContaining("Greet the world instead"),
    });
    expect(b.blocks.map((x) => [x.start, x.end, x.owner?.action ?? x.reason])).toEqual([
      [1, 1, "CREATED"],
      [2, 2, "EDITED"],
      [3, 3, "CREATED"],
    ]);
    expect(b.created).toMatch(/^2025-12-28T15:20:/);
    for (const key of ["file", "lines", "blocks"]) expect(b).toHaveProperty(key);
  });

  it("prints a git-blame-like table with the Created header", async () => {
    const { p, s } = createThenEdit();
    p.file("main.py", V2);
    const r = await p.run(["blame", "main.py"]);
    expect(r.code).toBe(0);
    const short = s.sessionId.slice(0, 8);
    expect(r.stdout.split("\n")).toEqual([
      "Created: 2025-12-28 15:20",
      "",
      "session  model                timestamp         line | code",
      "-----------------------------------------------------------",
      expect.stringMatching(new RegExp(`^${short} claude-opus-4-5      2025-12-28 15:2\\d {5}1 \\| def main\\(\\):$`)),
      expect.stringMatching(new RegExp(`^${short} claude-sonnet-4-5    2025-12-28 15:2\\d {5}2 \\|     print\\('hello, world'\\)$`)),
      expect.stringMatching(new RegExp(`^${short} claude-opus-4-5      2025-12-28 15:2\\d {5}3 \\|     return 0$`)),
      "",
    ]);
  });

  it("marks lines changed or added by a human after the AI", async () => {
    const { p } = createThenEdit();
    p.file("main.py", "def main():\n    print('hello, world')\n    log('done')\n    return 0\n");
    const b = await blameJson(p, "main.py");
    expect(owners(b)).toEqual([
      "CREATED:claude-opus-4-5-20251101",
      "EDITED:claude-sonnet-4-5-20250929",
      "changed-after-ai",
      "CREATED:claude-opus-4-5-20251101",
    ]);
    const text = await p.run(["blame", "main.py", "--no-header", "--columns", "MLC"]);
    expect(text.stdout.split("\n")[4]).toBe("changed after AI         3 |     log('done')");
  });

  it("marks every line of a file no trace knows as not in traces", async () => {
    const p = makeProject();
    p.file("notes.txt", "a\nb\n");
    const json = await p.run(["blame", "notes.txt", "--json"]);
    // No trace at all: said once on stderr, with the places looked in, so "not in traces" is not taken on trust.
    expect(json.stderr.split("\n")).toEqual([expect.stringMatching(/\)$/), ""]);
    expect(json.stderr).toContain(
      `ai-blame: no agent traces found for ${p.project} (looked in ${p.home}/.claude/projects/${p.project.replace(/[^A-Za-z0-9]/g, "-")}, `,
    );
    expect(json.stderr).toContain(`, ${p.home}/.codex/sessions, `);
    const b = JSON.parse(json.stdout) as BlameJson;
    expect(owners(b)).toEqual(["not-in-traces", "not-in-traces"]);
    expect(b.created).toBeNull();
    const r = await p.run(["blame", "notes.txt"]);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["", "session  model                timestamp         line | code"]);
  });

  it("keeps line numbers with CRLF endings and without a final newline", async () => {
    const p = makeProject();
    const crlf = "one\r\ntwo\r\nthree\r\n";
    const bare = "alpha\nbeta";
    new ClaudeSession(p.project).prompt("make files").write(p.path("win.txt"), crlf).write(p.path("bare.txt"), bare).save(p.home);
    p.file("win.txt", crlf);
    p.file("bare.txt", bare);
    const win = await blameJson(p, "win.txt");
    expect(win.lines.map((l) => l.text)).toEqual(["one", "two", "three"]);
    expect(owners(win)).toEqual(Array(3).fill("CREATED:claude-opus-4-5-20251101"));
    const b = await blameJson(p, "bare.txt");
    expect(b.lines.map((l) => [l.line, l.text])).toEqual([[1, "alpha"], [2, "beta"]]);
    expect(owners(b)).toEqual(Array(2).fill("CREATED:claude-opus-4-5-20251101"));
  });

  it("--lines shows only the range, clamped to the file", async () => {
    const { p } = createThenEdit();
    p.file("main.py", V2);
    const r = await p.run(["blame", "main.py", "--lines", "2-99", "--no-header", "--columns", "LC"]);
    expect(r.stdout).toBe([" line | code", "------------", "    2 |     print('hello, world')", "    3 |     return 0", ""].join("\n"));
    const none = await p.run(["blame", "main.py", "--lines", "7-9"]);
    expect(none).toMatchObject({ code: 0, stdout: "(no lines to show)\n" });
    const json = JSON.parse((await p.run(["blame", "main.py", "--json", "--lines", "2-2"])).stdout) as BlameJson;
    expect(json.lines.map((l) => l.line)).toEqual([2]);
    expect(json.blocks.map((x) => [x.start, x.end])).toEqual([[2, 2]]);
  });

  it("--blocks labels each block once, also when the range starts inside a block", async () => {
    const p = makeProject();
    const v1 = "a\nb\nc\nd\ne\n";
    const v2 = "a\nb\nX\nY\ne\n";
    new ClaudeSession(p.project).prompt("go").write(p.path("f.txt"), v1).edit(p.path("f.txt"), v1, "c\nd\n", "X\nY\n").save(p.home);
    p.file("f.txt", v2 + "human\n");
    const r = await p.run(["blame", "f.txt", "--blocks", "--no-header", "--columns", "MLC", "--lines", "2-6"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => !/^[ -]|^model/.test(l) && !/\| /.test(l))).toEqual([
      "block 1-2: claude-opus-4-5",
      "block 3-4: claude-opus-4-5",
      "block 5-5: claude-opus-4-5",
      "block 6-6: (changed after AI)",
      "",
    ]);
    const rows = r.stdout.split("\n").slice(2).filter((l) => / \| /.test(l) || /\| $/.test(l));
    expect(rows.map((l) => l.split("|")[1])).toEqual([" b", " X", " Y", " e", " human"]);
  });

  it("--porcelain gives owner keys once and the text after a tab", async () => {
    const { p, s } = createThenEdit();
    p.file("main.py", V2 + "extra\n");
    const r = await p.run(["blame", "main.py", "--porcelain"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const headers = lines.filter((l) => /^[0-9a-f]{40} \d+$/.test(l));
    expect(headers.map((h) => h.split(" ")[1])).toEqual(["1", "2", "3", "4"]);
    expect(headers[0]?.split(" ")[0]).toBe(headers[2]?.split(" ")[0]);
    expect(headers[3]).toBe(`${"0".repeat(40)} 4`);
    expect(lines.filter((l) => l.startsWith("model "))).toEqual(["model claude-opus-4-5-20251101", "model claude-sonnet-4-5-20250929"]);
    expect(lines.filter((l) => l.startsWith("session "))).toEqual([`session ${s.sessionId}`, `session ${s.sessionId}`]);
    expect(lines.filter((l) => l.startsWith("\t"))).toEqual(["\tdef main():", "\t    print('hello, world')", "\t    return 0", "\textra"]);
    expect(lines).toContain("reason changed-after-ai");
    expect(lines).toContain("prompt Greet the world instead");
    const json = JSON.parse((await p.run(["blame", "main.py", "--json"])).stdout) as BlameJson;
    expect(lines.filter((l) => l.startsWith("event-id "))).toEqual([
      `event-id ${json.lines[0]?.owner?.eventId ?? ""}`,
      `event-id ${json.lines[1]?.owner?.eventId ?? ""}`,
    ]);
  });

  it("applies agent and model aliases in the text layout only", async () => {
    const { p } = createThenEdit();
    p.file("main.py", V2);
    const r = await p.run(["blame", "main.py", "--show-agent", "--agent-alias", "claude-code=CC", "--model-alias", "claude-opus-4-5-20251101=opus", "--no-header"]);
    expect(r.stdout.split("\n")[0]).toBe("session  agent              model                timestamp         line | code");
    expect(r.stdout.split("\n")[2]).toMatch(/^\S{8} CC@2\.0\.75 {10}opus {17}2025/);
  });

  it("matches an alias against the full id first, then the name the column shows (model family, agent@version)", async () => {
    const { p } = createThenEdit();
    p.file("main.py", V2);
    const cols = ["blame", "main.py", "--columns", "AML", "--no-header"];
    const family = await p.run([...cols, "--model-alias", "claude-opus-4-5=opus", "--agent-alias", "claude-code@2.0.75=CC"]);
    expect(family.code).toBe(0);
    expect(family.stdout.split("\n").slice(2, 5)).toEqual([
      "CC                 opus                     1",
      "CC                 claude-sonnet-4-5        2",
      "CC                 opus                     3",
    ]);
    const both = await p.run([...cols, "--model-alias", "claude-sonnet-4-5=family", "--model-alias", "claude-sonnet-4-5-20250929=exact"]);
    expect(both.stdout.split("\n")[3]).toBe("claude-code@2.0.75 exact                    2");
  });
});
