// Live refresh for agents whose session files are rewritten rather than appended: a Gemini CLI `.json` session
// replaced by a longer copy (temp file + rename, a new inode), and an opencode session of the JSON storage that gains
// a message and its parts in other files, make the server re-read them, ask for a lens refresh and serve the new
// edit's lens.

import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GeminiSession, chatsDir, projectHash, replaceCall, sessionFileName, writeFileCall } from "../../examples/tools/writers/gemini.mjs";
import { OpencodeSession, toolPart } from "../../examples/tools/writers/opencode.mjs";
import { LspClient } from "./support/lsp-client";

let client: LspClient | null = null;
let root = "";

afterEach(async () => {
  const unexpected = client?.unexpected() ?? [];
  await client?.kill();
  client = null;
  if (root) rmSync(root, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
});

describe("live refresh of rewritten session files", () => {
  it("re-reads a Gemini .json replaced by a longer copy", async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-gemini-live-")));
    const home = join(root, "home");
    const project = join(root, "app");
    mkdirSync(project, { recursive: true });
    const file = join(project, "calc.py");
    const hour = (h: number): string => new Date(Date.now() - h * 3600_000).toISOString();
    const session = new GeminiSession({ sessionId: "4c3b2a19-8f7e-4d6c-9b5a-493827160504", projectPath: project, startTime: hour(3) });
    session.user("u1", hour(3), "Write an add function");
    session.gemini("g1", hour(2), "gemini-2.5-pro", { toolCalls: [writeFileCall({ id: "w1", timestamp: hour(2), filePath: file, before: null, after: "def add(a, b):\n    return a + b\n" })] });
    const trace = join(chatsDir(home, projectHash(project)), sessionFileName(hour(3), "4c3b2a19", ".json"));
    mkdirSync(join(trace, ".."), { recursive: true });
    const rewrite = (): void => {
      writeFileSync(`${trace}.tmp`, session.json());
      renameSync(`${trace}.tmp`, trace);
    };
    rewrite();
    writeFileSync(file, "def add(a, b):\n    return a + b\n");

    client = await LspClient.start({ home, project, dataDir: join(root, "data"), waitForIndex: true });
    const first = "def add(a, b):\n    return a + b\n";
    const uri = await client.open(file, first, "python");
    expect(await client.lensTitles(uri)).toEqual(["1: ✦ gemini-2.5-pro · 1 edit · 2 hours ago"]);

    const second = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";
    session.user("u2", hour(1), "And sub");
    session.gemini("g2", new Date(Date.now() - 30 * 60_000).toISOString(), "gemini-2.5-flash", {
      toolCalls: [replaceCall({ id: "r1", timestamp: new Date(Date.now() - 30 * 60_000).toISOString(), filePath: file, before: first, oldString: "    return a + b\n", newString: "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n" })],
    });
    writeFileSync(file, second);
    rewrite();
    await client.change(uri, second);
    await client.waitForRequest("workspace/codeLens/refresh");
    const titles = await client.lensTitles(uri);
    expect(titles.join(" ")).toContain("gemini-2.5-flash");
  });

  it("re-reads an opencode storage session when a message and its parts are added", async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-opencode-live-")));
    const home = join(root, "home");
    const project = join(root, "app");
    mkdirSync(project, { recursive: true });
    const file = join(project, "util.js");
    const data = join(home, ".local", "share", "opencode");
    const at = (minutesAgo: number): number => Date.now() - minutesAgo * 60_000;
    const session = new OpencodeSession({ id: "ses_3e2d1c0b9a8fLiveRefresh01", projectID: "9f8e7d6c", directory: project, title: "Utils", version: "1.1.36", time: { created: at(120), updated: at(120) } });
    session.user(at(120), "Write a util", { providerID: "anthropic", modelID: "claude-sonnet-4-5" });
    session.assistant(at(119), "anthropic", "claude-sonnet-4-5", [toolPart("toolu_live_1", "write", { filePath: file, content: "export const a = 1;\n" }, { exists: false }, at(119))]);
    session.writeStorage(data);
    writeFileSync(file, "export const a = 1;\n");

    client = await LspClient.start({ home, project, dataDir: join(root, "data"), waitForIndex: true });
    const uri = await client.open(file, "export const a = 1;\n", "javascript");
    expect((await client.lensTitles(uri)).join(" ")).toContain("✦ claude-sonnet-4-5 · 1 edit · 1 hour ago");

    const second = "export const a = 1;\nexport const b = 2;\n";
    session.user(at(11), "Add b", { providerID: "openai", modelID: "gpt-5.1-codex" });
    session.assistant(at(10), "openai", "gpt-5.1-codex", [
      toolPart("call_live_2", "edit", { filePath: file, oldString: "a = 1;\n", newString: "a = 1;\nexport const b = 2;\n" }, { filediff: { file, before: "export const a = 1;\n", after: second, additions: 1, deletions: 0 } }, at(10)),
    ]);
    writeFileSync(file, second);
    session.writeStorage(data);
    await client.change(uri, second);
    await client.waitForRequest("workspace/codeLens/refresh");
    expect((await client.lensTitles(uri)).join(" ")).toContain("gpt-5.1-codex");
  });
});
