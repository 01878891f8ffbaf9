// Warm blames through the built CLI: the second run of a project reads its saved view and decodes only the blamed
// file's events (and those its history follows), so it must answer exactly as the first run that indexed the traces:
// through a recorded rename, a person's rename found by content, with other files' events around, and it must see a
// trace that appears and a trace that grows between two warm runs.

import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, CodexSession } from "./support/traces";

async function blame(p: TestProject, file: string, ...flags: string[]): Promise<string> {
  const r = await p.run(["blame", file, ...flags]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

async function owners(p: TestProject, file: string): Promise<string[]> {
  const b = JSON.parse(await blame(p, file, "--json")) as BlameJson;
  return b.lines.map((l) => `${l.text} <- ${l.owner ? `${l.owner.action} ${l.owner.toolCallId.slice(0, 8)} ${l.owner.sessionId.slice(0, 8)}` : l.reason}`);
}

/** Text, porcelain and JSON output of one blame, each from its own process. */
async function allOutputs(p: TestProject, file: string): Promise<string[]> {
  return [await blame(p, file), await blame(p, file, "--porcelain"), await blame(p, file, "--json")];
}

const v1 = "def load(path):\n    with open(path) as f:\n        return f.read()\n";
const v2 = "def load(path):\n    with open(path, encoding='utf-8') as f:\n        return f.read()\n";

describe("warm blame answers as the run that indexed", () => {
  it("a recorded rename, among other files' events and sessions with a shared id prefix", async () => {
    const p = makeProject();
    const a = new ClaudeSession(p.project, { sessionId: "5e55a0aa-0000-4000-8000-000000000001" });
    a.prompt("p").write(p.path("io.py"), v1).bash("mv io.py loader.py").edit(p.path("loader.py"), v1, "open(path)", "open(path, encoding='utf-8')").save(p.home);
    new ClaudeSession(p.project, { sessionId: "5e55a0aa-0000-4000-8000-000000000002", start: "2025-12-29T10:00:00.000Z" })
      .prompt("q")
      .write(p.path("other.py"), "x = 1\n")
      .save(p.home);
    new CodexSession(p.project).prompt("r").applyPatch(`*** Add File: ${p.path("third.py")}\n+y = 2\n`).save(p.home);
    p.file("loader.py", v2);
    p.file("other.py", "x = 1\n");
    p.file("third.py", "y = 2\n");

    const cold = await allOutputs(p, "loader.py");
    const warm = await allOutputs(p, "loader.py");
    expect(warm).toEqual(cold);
    // Two sessions share their first 9 characters: the text output shows enough of the id to tell them apart.
    expect(cold[0]).toContain("5e55a0aa-0");
    expect(await owners(p, "loader.py")).toEqual([
      "def load(path): <- CREATED toolu_01 5e55a0aa",
      "    with open(path, encoding='utf-8') as f: <- EDITED toolu_03 5e55a0aa",
      "        return f.read() <- CREATED toolu_01 5e55a0aa",
    ]);
    expect(await owners(p, "third.py")).toEqual(["y = 2 <- CREATED call_1 " + (await codexSessionOf(p, "third.py"))]);
  });

  it("a person's rename (the old file vanished), found by content on a warm run too", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("old.py"), v1).write(p.path("keep.py"), "k = 1\n").save(p.home);
    p.file("keep.py", "k = 1\n");
    p.file("new.py", v1);
    const cold = await allOutputs(p, "new.py");
    const warm = await allOutputs(p, "new.py");
    expect(warm).toEqual(cold);
    expect((await owners(p, "new.py")).map((l) => l.split(" <- ")[1]?.split(" ")[0])).toEqual(["CREATED", "CREATED", "CREATED"]);
  });

  it("sees a trace that appears and one that grows between two warm blames", async () => {
    const p = makeProject();
    const first = new ClaudeSession(p.project, { sessionId: "aaaaaaaa-0000-4000-8000-000000000001" });
    first.prompt("p").write(p.path("app.py"), v1).write(p.path("side.py"), "s = 1\n").save(p.home);
    p.file("app.py", v1);
    p.file("side.py", "s = 1\n");
    await blame(p, "app.py");
    expect(await owners(p, "app.py")).toEqual(v1.trimEnd().split("\n").map((l) => `${l} <- CREATED toolu_01 aaaaaaaa`));

    // A new session's trace edits the other file.
    new ClaudeSession(p.project, { sessionId: "bbbbbbbb-0000-4000-8000-000000000002", start: "2025-12-30T09:00:00.000Z" })
      .prompt("q")
      .edit(p.path("side.py"), "s = 1\n", "s = 1", "s = 2")
      .save(p.home);
    p.file("side.py", "s = 2\n");
    expect(await owners(p, "side.py")).toEqual(["s = 2 <- EDITED toolu_01 bbbbbbbb"]);
    expect(await owners(p, "app.py")).toEqual(v1.trimEnd().split("\n").map((l) => `${l} <- CREATED toolu_01 aaaaaaaa`));

    // The first trace grows (the same file, appended): its new edit is seen.
    first.prompt("again").edit(p.path("app.py"), v1, "open(path)", "open(path, encoding='utf-8')").save(p.home);
    p.file("app.py", v2);
    const grown = [
      "def load(path): <- CREATED toolu_01 aaaaaaaa",
      "    with open(path, encoding='utf-8') as f: <- EDITED toolu_03 aaaaaaaa",
      "        return f.read() <- CREATED toolu_01 aaaaaaaa",
    ];
    // The run that reads the appended lines, then a warm one (the record now has an appended segment).
    expect(await owners(p, "app.py")).toEqual(grown);
    expect(await owners(p, "app.py")).toEqual(grown);
    expect(await allOutputs(p, "app.py")).toEqual(await allOutputs(p, "app.py"));
  });
});

async function codexSessionOf(p: TestProject, file: string): Promise<string> {
  const timeline = JSON.parse((await p.run(["timeline", "--json"])).stdout) as Array<{ file: string; sessionId: string }>;
  return timeline.find((e) => e.file === file)?.sessionId.slice(0, 8) ?? "";
}
