// Gemini CLI sessions through the built CLI: a `.json` session in the project's sha256 folder and a `.jsonl` one in
// its projects.json slug folder feed blame, stats and timeline with the agent "gemini-cli", and `transcript
// list/view` show them like the others. Sessions are written with the Gemini writer kit (examples/tools/writers).

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GeminiSession, chatsDir, projectHash, projectsJson, replaceCall, sessionFileName, writeFileCall } from "../../examples/tools/writers/gemini.mjs";
import { makeProject, type TestProject } from "./support/project";
import { mkdirSync, writeFileSync } from "node:fs";

let p: TestProject;

function put(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  p = makeProject();
  const file = p.path("src/util.ts");
  const legacy = new GeminiSession({ sessionId: "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", projectPath: p.project, startTime: "2026-01-20T10:00:00.000Z" });
  legacy.user("u1", "2026-01-20T10:00:01.000Z", "Create a util module");
  legacy.gemini("g1", "2026-01-20T10:00:04.000Z", "gemini-2.5-pro", { toolCalls: [writeFileCall({ id: "write_file-1", timestamp: "2026-01-20T10:00:04.000Z", filePath: file, before: null, after: "export const a = 1;\n" })] });
  put(join(chatsDir(p.home, projectHash(p.project)), sessionFileName("2026-01-20T10:00:00.000Z", "0d1e2f3a", ".json")), legacy.json());

  const log = new GeminiSession({ sessionId: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", projectPath: p.project, startTime: "2026-01-21T09:00:00.000Z", kind: "main" });
  log.user("u1", "2026-01-21T09:00:01.000Z", "Add b");
  log.gemini("g1", "2026-01-21T09:00:05.000Z", "gemini-3-pro-preview", {
    content: "Added b.",
    toolCalls: [replaceCall({ id: "replace-1", timestamp: "2026-01-21T09:00:05.000Z", filePath: file, before: "export const a = 1;\n", oldString: "export const a = 1;\n", newString: "export const a = 1;\nexport const b = 2;\n" })],
  });
  put(join(p.home, ".gemini", "projects.json"), projectsJson({ [p.project]: "proj" }));
  put(join(p.home, ".gemini", "tmp", "proj", ".project_root"), p.project);
  put(join(chatsDir(p.home, "proj"), sessionFileName("2026-01-21T09:00:00.000Z", "7a6b5c4d", ".jsonl")), log.jsonl());
  p.file("src/util.ts", "export const a = 1;\nexport const b = 2;\n");
});

describe("Gemini sessions in the CLI", () => {
  it("blame names the Gemini model of each line", async () => {
    const r = await p.run(["blame", "src/util.ts", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = (JSON.parse(r.stdout) as { lines: { owner: { agent: string; model: string } | null }[] }).lines;
    expect(lines.map((l) => [l.owner?.agent, l.owner?.model])).toEqual([
      ["gemini-cli", "gemini-2.5-pro"],
      ["gemini-cli", "gemini-3-pro-preview"],
    ]);
  });

  it("stats and timeline count the Gemini edits", async () => {
    const stats = await p.run(["stats", "--json"]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain("gemini-cli");
    const timeline = await p.run(["timeline"]);
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toContain("gemini-cli");
    expect(timeline.stdout).toContain("gemini-3-pro-preview");
  });

  it("transcript list and view show Gemini sessions", async () => {
    const list = await p.run(["transcript", "list", "--json"]);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { sessionId: string; agent: string }[];
    expect(rows.filter((r) => r.agent === "gemini-cli").map((r) => r.sessionId).sort()).toEqual(["0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"]);
    const view = await p.run(["transcript", "view", "7a6b5c4d"]);
    expect(view.code).toBe(0);
    expect(view.stdout).toContain("Add b");
    expect(view.stdout).toContain("Added b.");
  });
});
