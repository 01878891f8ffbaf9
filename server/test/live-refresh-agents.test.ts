// Live refresh for agents whose session files are rewritten rather than appended: a Gemini CLI `.json` session
// replaced by a longer copy (temp file + rename, a new inode) makes the server re-read it, ask for a lens refresh
// and serve the new edit's lens.

import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GeminiSession, chatsDir, projectHash, replaceCall, sessionFileName, writeFileCall } from "../../examples/tools/writers/gemini.mjs";
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
});
