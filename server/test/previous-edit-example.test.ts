// aiBlame/previousEdit over stdio on the bundled example: for every line of the AI-touched files, an answer names an
// earlier edit of the same file that wrote the line the current owner replaced (it is in the current owner's
// "before" at the answered line, and in the earlier edit's "after"); web/format.js's rounding line, rewritten by a
// second Codex Update, leads back to the first.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditContentsResult, LineInfoResult, PreviousEditResult } from "@ai-blame/shared";
import type { ExampleHome } from "../../tests/support/example-home";
import type { LspClient } from "./support/lsp-client";
import { type ExampleServer, startOnExample, stopExample } from "./support/session";

let server: ExampleServer;
let ex: ExampleHome;
let client: LspClient;

beforeAll(async () => {
  server = await startOnExample();
  ({ ex, client } = server);
});

afterAll(() => stopExample(server));

async function openExample(file: string): Promise<{ uri: string; lines: string[] }> {
  const text = readFileSync(join(ex.project, file), "utf8");
  return { uri: await client.open(join(ex.project, file), text), lines: text.split("\n") };
}

describe("aiBlame/previousEdit on the bundled example", () => {
  it("leads from web/format.js's rounding line to the Codex Update it replaced", async () => {
    const { uri, lines } = await openExample("web/format.js");
    const line = lines.findIndex((l) => l.includes("Math.round(seconds / 60 / 15) * 15"));
    expect(line).toBeGreaterThanOrEqual(0);
    const current = await client.request<LineInfoResult>("aiBlame/lineInfo", { uri, line });
    const previous = await client.request<PreviousEditResult>("aiBlame/previousEdit", { uri, line });
    expect(previous?.owner.agent).toBe("codex-cli");
    expect(previous?.owner.toolCallId).not.toBe(current.owner?.toolCallId);
    const change = await client.request<EditContentsResult>("aiBlame/editContents", {
      uri,
      sessionId: previous?.owner.sessionId,
      toolCallId: previous?.owner.toolCallId,
    });
    expect(change?.after.split("\n")[(previous?.line ?? 0) - 1]).toBe("  const minutes = Math.round(seconds / 60 / 15) * 15;");
  });

  it("answers only with earlier edits whose written line the current owner replaced, and null for other lines", async () => {
    let answered = 0;
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "web/format.js", "config.yaml"]) {
      const { uri, lines } = await openExample(file);
      for (let line = 0; line < lines.length - 1; line++) {
        const previous = await client.request<PreviousEditResult>("aiBlame/previousEdit", { uri, line });
        const current = await client.request<LineInfoResult>("aiBlame/lineInfo", { uri, line });
        if (!current.owner) expect(previous, `${file}:${line + 1}`).toBeNull();
        if (!previous || !current.owner) continue;
        answered++;
        expect(previous.owner.eventId, `${file}:${line + 1}`).not.toBe(current.owner.eventId);
        expect(Date.parse(previous.owner.timestamp)).toBeLessThanOrEqual(Date.parse(current.owner.timestamp));
        const ask = (o: { sessionId: string; toolCallId: string }) =>
          client.request<EditContentsResult>("aiBlame/editContents", { uri, sessionId: o.sessionId, toolCallId: o.toolCallId });
        const replaced = (await ask(current.owner))?.before.split("\n")[previous.line - 1];
        expect(replaced, `${file}:${line + 1}`).toBeDefined();
        expect((await ask(previous.owner))?.after.split("\n"), `${file}:${line + 1}`).toContain(replaced);
      }
    }
    expect(answered).toBeGreaterThan(5);
  });

  it("rejects a request without a line", async () => {
    const { uri } = await openExample("web/format.js");
    await expect(client.request("aiBlame/previousEdit", { uri })).rejects.toThrow(/0-based integer line/);
  });
});
