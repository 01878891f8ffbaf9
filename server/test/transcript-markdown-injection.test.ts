// Transcript markdown injection through the server: aiBlame.showTranscript (what VS Code opens in its markdown
// preview, and what other editors get as plain markdown) for a hostile Claude Code session and a hostile Codex
// rollout, from the real server over stdio. Rendered as VS Code's preview renders it, no trace text forms a link,
// an image or HTML, ends its `<details>` or forges a turn, and the hostile text still shows as text.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShowTranscriptResult } from "@ai-blame/shared";
import { HOSTILE, renderTranscript, writeHostileClaude, writeHostileCodex, type HostileTrace } from "../../tests/support/hostile-transcripts";
import { createFixture, type Fixture } from "./support/fixture";
import { fullCapabilities, LspClient } from "./support/lsp-client";
import { stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;
let plain: LspClient;
let claude: HostileTrace;
let codex: HostileTrace;

beforeAll(async () => {
  fx = createFixture();
  claude = writeHostileClaude(fx.home, fx.project);
  codex = writeHostileCodex(fx.home, fx.project);
  mkdirSync(join(fx.project, "src"), { recursive: true });
  writeFileSync(join(fx.project, "src", "hostile.md"), `${HOSTILE}\n`);
  writeFileSync(join(fx.project, "src", "hostile-codex.md"), `${HOSTILE}\n`);
  client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
  const { experimental: _links, ...capabilities } = fullCapabilities;
  plain = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, capabilities, waitForIndex: true });
});

afterAll(async () => {
  await plain.kill();
  await stopAndCheck(client, fx);
});

describe.each([
  ["Claude", () => claude],
  ["Codex", () => codex],
])("aiBlame.showTranscript of a hostile %s trace", (_agent, trace) => {
  it.each([
    ["VS Code (folded <details>)", () => client, true],
    ["another editor (plain markdown)", () => plain, false],
  ])("for %s forms no link, image or HTML and forges no turn", async (_editor, editor, folded) => {
    const result = await editor().request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [{ sessionId: trace().sessionId }],
    });
    const out = renderTranscript(result.markdown);
    expect(out.foreignTags).toEqual([]);
    expect(out.html).not.toMatch(/<a[\s>]|<img|<script|<iframe|<h[3-6]/);
    expect(out.foreignSummaries).toEqual([]);
    expect(out.detailsOpened).toBe(out.detailsClosed);
    expect(out.detailsOpened > 0).toBe(folded);
    expect(out.h1).toBe(1);
    // Other editors get the CLI's default view: tool results left out, long messages cut (the text whole in VS Code).
    const turns = folded ? trace().messages : trace().messages - trace().toolResults;
    expect(out.h2).toBe(turns);
    expect(out.hr).toBe(turns + 1);
    if (folded) for (const line of HOSTILE.split(/\r|\n|\u2028|\u2029|\u0085|\v|\f/).filter((l) => l.trim() !== "")) expect(out.text).toContain(line.trim());
  });
});
