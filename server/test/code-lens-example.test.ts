// Lenses and inlay hints on the bundled example, whose one Claude session switches from opus to sonnet (/model) and
// runs a haiku subagent: one lens per run of that session's lines (not one per edit), runs ended by human lines and
// by Codex's session, models most lines first, and inlay hints on exactly the lines that carry lenses.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeLens, InlayHint } from "vscode-languageserver-protocol";
import { createExampleHome, type ExampleHome } from "../../tests/support/example-home";
import { relativeTime } from "../src/convert";
import { LspClient } from "./support/lsp-client";

const SESSION = "14408b5e-9898-4517-9771-f2e6ea0ed7dc";
const ago = (iso: string) => relativeTime(iso, Date.now());

let ex: ExampleHome;
let dataDir: string;
let client: LspClient;

beforeAll(async () => {
  ex = await createExampleHome();
  dataDir = mkdtempSync(join(tmpdir(), "ai-blame-lens-example-"));
  client = await LspClient.start({
    home: ex.home,
    project: ex.project,
    dataDir,
    initializationOptions: { home: ex.home, inlayHints: { enabled: true } },
    waitForIndex: true,
  });
});

afterAll(async () => {
  const unexpected = client?.unexpected() ?? [];
  await client?.kill();
  ex?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
});

const opened = new Map<string, { uri: string; text: string }>();

/** Opens a project file once (as saved on disk) and returns its uri and text. */
async function open(file: string): Promise<{ uri: string; text: string }> {
  const known = opened.get(file);
  if (known) return known;
  const text = readFileSync(join(ex.project, file), "utf8");
  const doc = { uri: await client.open(join(ex.project, file), text), text };
  opened.set(file, doc);
  return doc;
}

describe("lenses on the bundled example", () => {
  it("gives tasklog/cli.py one lens per run of the session, across its /model switch, ended by human lines", async () => {
    const { uri } = await open("tasklog/cli.py");
    // Line 4 (`import os`) and line 53 (`--project` default) were changed by a human after the AI.
    const newest = ago("2025-11-03T14:08:20.387Z");
    expect(await client.lensTitles(uri)).toEqual([
      `1: ✦ claude-opus-4-5, claude-sonnet-4-5 · 2 edits · ${newest}`,
      `5: ✦ claude-opus-4-5, claude-sonnet-4-5 · 5 edits · ${newest}`,
      `54: ✦ claude-opus-4-5, claude-sonnet-4-5 · 3 edits · ${newest}`,
    ]);
    // Each lens opens the run's newest edit: sonnet's Write over cli.py.
    const lenses = (await client.codeLens(uri)) ?? [];
    const resolved = await Promise.all(lenses.map((lens) => client.resolve(lens as CodeLens)));
    for (const lens of resolved) {
      expect(lens.command?.arguments?.[0]).toMatchObject({ sessionId: SESSION, toolCallId: "toolu_01DGtNHVaibIkuFjfmL7THU7" });
    }
  });

  it("puts the haiku subagent's lines in its parent session's runs, and Codex's patch in a run of its own", async () => {
    const { uri } = await open("tasklog/store.py");
    expect((await client.lensTitles(uri)).map((t) => t.replace(/^\d+: /, ""))).toEqual([
      `✦ claude-opus-4-5, claude-haiku-4-5 · 2 edits · ${ago("2025-11-03T14:08:04.237Z")}`,
      `✦ gpt-5.1-codex-max · 1 edit · ${ago("2025-11-04T10:05:28.692Z")}`,
      `✦ claude-haiku-4-5, claude-opus-4-5 · 2 edits · ${ago("2025-11-03T14:08:10.437Z")}`,
    ]);
  });

  it("places inlay hints on exactly the lines that carry lenses, labelled with the run's models and session", async () => {
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "config.yaml", "web/format.js", "pyproject.toml"]) {
      const { uri, text } = await open(file);
      const lines = text.split("\n").length;
      const lensLines = ((await client.codeLens(uri)) ?? []).map((l) => l.range.start.line);
      const hints: InlayHint[] =
        (await client.request("textDocument/inlayHint", {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
        })) ?? [];
      expect(hints.map((h) => h.position.line), file).toEqual(lensLines);
    }
    const { uri } = await open("tasklog/cli.py");
    const hints: InlayHint[] = await client.request("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
    });
    expect(hints.map((h) => h.label)).toEqual([
      `✦ claude-opus-4-5, claude-sonnet-4-5, ${ago("2025-11-03T14:08:20.387Z")} · session 14408b5e`,
      `✦ claude-opus-4-5, claude-sonnet-4-5, ${ago("2025-11-03T14:08:20.387Z")} · session 14408b5e`,
    ]);
    expect(hints.map((h) => h.position.line)).toEqual([0, 4]);
  });
});
