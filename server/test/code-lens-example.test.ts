// Lenses and inlay hints on the bundled example, whose one Claude session switches from opus to sonnet (/model) and
// runs a haiku subagent: one lens per region of that session's lines (not one per edit), a few human lines
// absorbed, regions split by Codex's session, models most lines first, never two identical lenses a few lines
// apart, the per-file scope, and inlay hints on exactly the lens lines for a client without lenses (Helix) and none
// for a client that draws the lenses.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeLens, InlayHint } from "vscode-languageserver-protocol";
import type { ExampleHome } from "../../tests/support/example-home";
import { relativeTime } from "../src/convert";
import { fullCapabilities, LspClient } from "./support/lsp-client";
import { type ExampleServer, startOnExample, stopExample } from "./support/session";

const SESSION = "14408b5e-9898-4517-9771-f2e6ea0ed7dc";
const ago = (iso: string) => relativeTime(iso, Date.now());

let server: ExampleServer;
let ex: ExampleHome;
let dataDir: string;
let client: LspClient;

beforeAll(async () => {
  server = await startOnExample({ inlayHints: { enabled: true } });
  ({ ex, dataDir, client } = server);
});

afterAll(() => stopExample(server));

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
  it("gives tasklog/cli.py one lens for the session's region, across its /model switch and two human lines", async () => {
    const { uri } = await open("tasklog/cli.py");
    // Line 4 (`import os`) and line 53 (`--project` default) were changed by a human after the AI: single human
    // lines inside the session's code are absorbed, not a reason for three lenses.
    const newest = ago("2025-11-03T14:08:20.387Z");
    expect(await client.lensTitles(uri)).toEqual([`1: ✦ claude-opus-4-5, claude-sonnet-4-5 · 6 edits · ${newest}`]);
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

  it("gives config.yaml one lens per session: Codex's lines across the human line 6, then sonnet's edit", async () => {
    const { uri } = await open("config.yaml");
    expect((await client.lensTitles(uri)).map((t) => t.replace(/ · [^·]* ago$/, ""))).toEqual([
      "1: ✦ gpt-5.1-codex · 1 edit",
      "11: ✦ claude-sonnet-4-5 · 1 edit",
    ]);
  });

  it("never puts two lenses with the same title within a few lines, in any example file", async () => {
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "config.yaml", "web/format.js", "pyproject.toml"]) {
      const { uri } = await open(file);
      const lenses = (await client.lensTitles(uri)).map((t) => /^(\d+): (.*)$/.exec(t) ?? ["", "0", ""]);
      for (let i = 1; i < lenses.length; i++) {
        const [, line, title] = lenses[i] ?? [];
        const [, prevLine, prevTitle] = lenses[i - 1] ?? [];
        if (title === prevTitle) expect(Number(line) - Number(prevLine), `${file}: ${title}`).toBeGreaterThan(8);
      }
    }
  });

  it("with codeLens.scope 'file' gives one lens per file, with the file's AI share", async () => {
    const fileScope = await LspClient.start({
      home: ex.home,
      project: ex.project,
      dataDir,
      initializationOptions: { home: ex.home, codeLens: { scope: "file" } },
      waitForIndex: true,
    });
    try {
      const text = readFileSync(join(ex.project, "tasklog/store.py"), "utf8");
      const uri = await fileScope.open(join(ex.project, "tasklog/store.py"), text);
      const titles = await fileScope.lensTitles(uri);
      expect(titles).toHaveLength(1);
      expect(titles[0]).toMatch(/^\d+: ✦ \d+% AI · claude-opus-4-5, gpt-5\.1-codex-max, claude-haiku-4-5 · 4 edits · /);
      expect(fileScope.unexpected()).toEqual([]);
    } finally {
      await fileScope.kill();
    }
  });

  it("sends no inlay hints to a client that draws the lenses, so a line never says it twice", async () => {
    const { uri, text } = await open("tasklog/cli.py");
    const hints: InlayHint[] = await client.request("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } },
    });
    expect(hints).toEqual([]);
  });

  it("places a lens-less client's inlay hints on exactly the lens lines, labelled with the models and session", async () => {
    // Helix declares neither code lenses nor command links.
    const { codeLens: _lens, ...textDocument } = fullCapabilities.textDocument ?? {};
    const helix = await LspClient.start({
      home: ex.home,
      project: ex.project,
      dataDir,
      initializationOptions: { home: ex.home, inlayHints: { enabled: true } },
      capabilities: { ...fullCapabilities, textDocument, experimental: undefined },
      waitForIndex: true,
    });
    try {
      await hintsMatchLenses(helix);
    } finally {
      expect(helix.unexpected()).toEqual([]);
      await helix.kill();
    }
  });
});

async function hintsMatchLenses(helix: LspClient): Promise<void> {
  {
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "config.yaml", "web/format.js", "pyproject.toml"]) {
      const { uri, text } = await open(file);
      const lines = text.split("\n").length;
      const lensLines = ((await client.codeLens(uri)) ?? []).map((l) => l.range.start.line);
      const helixUri = await helix.open(join(ex.project, file), text);
      const hints: InlayHint[] =
        (await helix.request("textDocument/inlayHint", {
          textDocument: { uri: helixUri },
          range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
        })) ?? [];
      expect(hints.map((h) => h.position.line), file).toEqual(lensLines);
    }
    const { text } = await open("tasklog/cli.py");
    const uri = await helix.open(join(ex.project, "tasklog/cli.py"), text);
    const hints: InlayHint[] = await helix.request("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
    });
    expect(hints.map((h) => h.label)).toEqual([`✦ claude-opus-4-5, claude-sonnet-4-5 · ${ago("2025-11-03T14:08:20.387Z")} · 14408b5e`]);
    expect(hints.map((h) => [h.position.line, h.paddingLeft])).toEqual([[0, true]]);
    // The tooltip names no command link for a client that did not declare support for them.
    const tooltip = hints[0]?.tooltip as { value: string } | undefined;
    expect(tooltip?.value).not.toContain("command:");
  }
}
