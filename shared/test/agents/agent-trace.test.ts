// Agent Trace records: `.agent-trace/traces.jsonl` in a real git repository. A record's ranges refer to the file at
// its `vcs.revision`: their lines are read there and found again in today's file after lines moved; a record whose
// revision lacks the file takes the file as it is; human and mixed ranges are no AI edits; bad records are counted.
// Records are written with the Agent Trace writer kit (examples/tools/writers/agent-trace.mjs).

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverTraces } from "../../src/discovery";
import { createEngine } from "../../src/engine";
import { traceRecord, tracesJsonl } from "../../../examples/tools/writers/agent-trace.mjs";
import { makeTempHome, writeTrace, type TempHome } from "../support/trace-home";

let t: TempHome;
const git = (...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: t.project, encoding: "utf8" }).trim();

beforeEach(() => {
  t = makeTempHome();
  git("init", "-q");
});
afterEach(() => t.cleanup());

function engine() {
  return createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, cache: "off" });
}

describe("Agent Trace records", () => {
  it("reads ranges at vcs.revision and finds their lines in today's file", async () => {
    writeFileSync(join(t.project, "app.py"), "import os\n\ndef main():\n    print('hi')\n    return 0\n");
    git("add", ".");
    git("commit", "-qm", "first");
    const rev = git("rev-parse", "HEAD");
    writeTrace(join(t.project, ".agent-trace", "traces.jsonl"), tracesJsonl([
      traceRecord({
        id: "0f1e2d3c-4b5a-4697-8877-665544332211", timestamp: "2026-01-05T10:00:00.000Z", revision: rev,
        files: [{ path: "app.py", conversations: [
          { url: "https://cursor.com/conversations/abc", contributor: { type: "ai", model_id: "anthropic/claude-opus-4-5-20251101" }, ranges: [{ start_line: 3, end_line: 4 }] },
          { contributor: { type: "human" }, ranges: [{ start_line: 1, end_line: 1 }] },
        ] }],
      }),
    ]));
    // Since then, two lines were added on top: the AI lines moved down by two.
    writeFileSync(join(t.project, "app.py"), "#!/usr/bin/env python\n# tool\nimport os\n\ndef main():\n    print('hi')\n    return 0\n");
    const e = engine();
    await e.refresh();
    const events = e.snapshot().events();
    expect(events.map((x) => [x.agent, x.model, x.sessionId, x.agentVersion])).toEqual([["agent-trace", "claude-opus-4-5-20251101", "https://cursor.com/conversations/abc", "cursor 2.0.77"]]);
    const owners = e.snapshot().blame(join(t.project, "app.py")).lines.map((l) => l.owner?.agent ?? null);
    expect(owners).toEqual([null, null, null, null, "agent-trace", "agent-trace", null]);
  });

  it("takes a file its revision does not have as it is, and counts bad records", async () => {
    writeFileSync(join(t.project, "README.md"), "readme\n");
    git("add", ".");
    git("commit", "-qm", "first");
    const rev = git("rev-parse", "HEAD");
    writeFileSync(join(t.project, "new.ts"), "export const x = 1;\nexport const y = 2;\n");
    const good = traceRecord({
      id: "11111111-2222-4333-8444-555555555555", timestamp: "2026-01-06T09:00:00.000Z", revision: rev,
      files: [{ path: "new.ts", conversations: [{ contributor: { type: "ai", model_id: "openai/gpt-5.1-codex" }, ranges: [{ start_line: 2, end_line: 2 }, { start_line: 1, end_line: 1, contributor: { type: "mixed" } }] }] }],
    });
    const text = `${tracesJsonl([good])}{"version":"1.0","id":"x"}\n{"version":"1.0","id":"y","timestamp":"2026-01-06T09:00:00Z","files":[{"path":"new.ts","conversations":[{"ranges":[{"start_line":5,"end_line":2}]}]}]}\nnot json\n`;
    writeTrace(join(t.project, ".agent-trace", "traces.jsonl"), text);
    const e = engine();
    const r = await e.refresh();
    expect(r.skippedLines).toBe(3);
    const owners = e.snapshot().blame(join(t.project, "new.ts")).lines.map((l) => l.owner?.model ?? null);
    expect(owners).toEqual([null, "gpt-5.1-codex"]);
  });

  it("is discovered in the project and its parent folders, and left out by --agents", async () => {
    const sub = join(t.project, "pkg");
    const here = writeTrace(join(t.project, ".agent-trace", "traces.jsonl"), "");
    const found = await discoverTraces({ projectDir: sub, home: t.home, env: { HOME: t.home } });
    expect(found.files.filter((f) => f.agent === "agent-trace").map((f) => f.path)).toEqual([here]);
    const off = await discoverTraces({ projectDir: sub, home: t.home, env: { HOME: t.home }, agents: { "agent-trace": false } });
    expect(off.files.filter((f) => f.agent === "agent-trace")).toEqual([]);
  });
});
