// Terminal safety through the built CLI: a trace whose prompt, answer, model id and edited file name carry ESC
// sequences (SGR, OSC title), BEL, backspace, CR and a C1 CSI. No human output may pass a control character other
// than newline and tab to the terminal; they show as visible pictures instead. JSON keeps the strings exact.

import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

/** What a terminal must never receive from trace data (output is piped with NO_COLOR, so none is ours). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const PROMPT = "Make \x1b[1mbold\x1b[0m\x1b]0;pwned\x07 happen\x08\x08 now\rX \x9b31m";
const ANSWER = "Done \x1b[2J\x1b[H cleared";
const MODEL = "claude-opus-4-5\x1b[31m-20251101";
const FILE = "evil\x1b[41mname.py";

let p: TestProject;
let s: ClaudeSession;

beforeAll(() => {
  p = makeProject();
  s = new ClaudeSession(p.project, { model: MODEL }).prompt(PROMPT).write(p.path(FILE), "x = 1\n").reply(ANSWER);
  s.save(p.home);
  p.file(FILE, "x = 1\n");
});

async function safeRun(args: string[]): Promise<string> {
  const r = await p.run(args);
  expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
  expect(r.stdout, args.join(" ")).not.toMatch(CONTROL);
  expect(r.stderr, args.join(" ")).not.toMatch(CONTROL);
  return r.stdout;
}

describe("control characters from traces", () => {
  it("transcript view text and markdown show them as pictures", async () => {
    const text = await safeRun(["transcript", "view", s.sessionId, "--show-tools"]);
    expect(text).toContain("Make ␛[1mbold␛[0m␛]0;pwned␇ happen␈␈ now␍X <U+009B>31m\n");
    expect(text).toContain("Done ␛[2J␛[H cleared");
    expect(text).toContain(`(claude-opus-4-5␛[31m-20251101)`);
    expect(text).toContain(`[File create: ${p.path("evil␛[41mname.py")}]`);
    const markdown = await safeRun(["transcript", "view", s.sessionId, "--format", "markdown"]);
    // The markdown also escapes its markup characters (a backslash before each, not shown once rendered).
    expect(markdown).toContain("Make ␛\\[1mbold␛\\[0m␛\\]0;pwned␇ happen␈␈ now␍X \\<U+009B\\>31m\n");
    expect(markdown).toContain("evil␛[41mname.py");
  });

  it("transcript list, blame, timeline, stats, report and annotate --dry-run escape them too", async () => {
    const list = await safeRun(["transcript", "list", "--columns", "SOL"]);
    expect(list).toContain("claude-opus-4-5␛[31m-20251101");
    expect(list).toContain("Done ␛[2J␛[H cleared");
    const blame = await safeRun(["blame", FILE, "--show-agent", "--blocks"]);
    expect(blame).toContain("block 1-1: ");
    expect(blame).toContain(" claude-code@2.0.75 claude-opus-4-5␛[31m 2025-12-28 ");
    const timeline = await safeRun(["timeline"]);
    expect(timeline).toContain("evil␛[41mname.py");
    expect(timeline).toContain("claude-opus-4-5␛[31m-20251101");
    expect(await safeRun(["stats"])).toContain("claude-opus-4-5␛[31m-20251101");
    const report = await safeRun(["report"]);
    expect(report).toContain("evil␛[41mname.py");
    expect(await safeRun(["annotate", "--dry-run"])).toContain("Would write sidecar: \"evil␛[41mname.history.yaml\"");
  });

  it("JSON output keeps the exact strings (JSON escapes them itself)", async () => {
    const r = await p.run(["transcript", "view", s.sessionId, "--json"]);
    expect(r.stdout).not.toMatch(CONTROL);
    const t = JSON.parse(r.stdout) as { messages: Array<{ content: Array<{ text?: string }> }> };
    expect(t.messages[0]?.content[0]?.text).toBe(PROMPT);
    const timeline = JSON.parse((await p.run(["timeline", "--json"])).stdout) as Array<{ file: string; model: string }>;
    expect(timeline[0]).toMatchObject({ file: FILE, model: MODEL });
  });
});
