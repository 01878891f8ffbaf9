// `export --format agent-trace` on the example committed in three commits: one Agent Trace record per commit with AI
// lines, valid for the engine's Agent Trace reader (the one definition of the format), with line ranges of the files
// at `vcs.revision` that cover exactly the AI lines `log` counts, models as `provider/model`, stable ids.
// Also `notes add --with-prompts`: prompts kept in the note reach a blame that has no traces.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson, LogEntryJson } from "@ai-blame/shared";
import { readAgentTraceRecord } from "../../shared/src/agents/agent-trace/record";
import { createGitExample, type GitExample, git } from "./support/git-example";
import { tempDir } from "./support/run-cli";

let repo: GitExample;

beforeAll(async () => {
  repo = await createGitExample();
}, 60_000);

afterAll(() => repo?.cleanup());

describe("export --format agent-trace", () => {
  it("writes one valid record per commit with the AI lines log counts", async () => {
    const r = await repo.cli(["export", "--format", "agent-trace"]);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    const log = JSON.parse((await repo.cli(["log", "--json"])).stdout) as LogEntryJson[];
    lines.forEach((line, i) => {
      const record = readAgentTraceRecord(JSON.parse(line));
      expect(record).not.toBeNull();
      expect(record?.vcs).toEqual({ type: "git", revision: log[i]?.sha });
      expect(record?.tool?.name).toBe("ai-blame");
      expect(record?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      let covered = 0;
      for (const file of record?.files ?? []) {
        for (const c of file.conversations) {
          expect(c.contributor?.type).toBe("ai");
          for (const range of c.ranges) covered += range.end_line - range.start_line + 1;
        }
      }
      expect(covered).toBe(log[i]?.ai);
    });
    const web = readAgentTraceRecord(JSON.parse(lines[1] ?? "{}"));
    expect(web?.files.map((f) => [f.path, f.conversations.map((c) => [c.contributor?.model_id, c.ranges])])).toEqual([
      [
        "web/format.js",
        [
          ["openai/gpt-5.1-codex", [{ start_line: 1, end_line: 3 }, { start_line: 8, end_line: 13 }]],
          ["openai/gpt-5.1-codex-max", [{ start_line: 4, end_line: 7 }]],
        ],
      ],
    ]);
    const again = await repo.cli(["export", "--format", "agent-trace", `${repo.commits[0]}..HEAD`]);
    expect(again.stdout).toBe(`${lines[0]}\n${lines[1]}\n`);
    const missing = await repo.cli(["export"]);
    expect(missing.code).toBe(2);
  });

  it("notes add --with-prompts keeps each edit's prompt (first 500 characters) for clones without traces", async () => {
    const plain = await repo.cli(["notes", "add", "-n", "1"]);
    expect(plain.code).toBe(0);
    expect(git(repo.project, ["notes", "--ref=ai-blame", "show", "HEAD"])).not.toContain('"prompt"');
    const r = await repo.cli(["notes", "add", "--force", "--with-prompts", "-n", "1"]);
    expect(r.code).toBe(0);
    const records = git(repo.project, ["notes", "--ref=ai-blame", "show", "HEAD"]).trim().split("\n");
    const edits = records.flatMap((l) => (JSON.parse(l) as { edits: Array<{ prompt?: string }> }).edits);
    expect(edits.map((e) => e.prompt?.slice(0, 30))).toContain("Add a `list` command that prin");
    expect(Math.max(...edits.map((e) => e.prompt?.length ?? 0))).toBeLessThanOrEqual(500);
    const noTraces = tempDir("ai-blame-no-traces-");
    const blame = JSON.parse((await repo.cli(["blame", "README.md", "--json", "--trace-dir", noTraces])).stdout) as BlameJson;
    expect(blame.lines[0]?.source).toBe("note");
    expect(blame.lines[0]?.owner?.promptText).toMatch(/^Add a `list` command/);
  });
});
