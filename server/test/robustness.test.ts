// Bad requests get proper LSP errors and the server keeps serving: malformed params, an unknown document, garbage
// lens data, unknown methods, non-file documents, and a trace with broken lines next to good ones.

import { appendFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import type { LspClient } from "./support/lsp-client";
import { startOnGreet, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeAll(async () => {
  fx = createFixture();
  // A truncated line, a non-JSON line and a record of the wrong shape in the middle of the main trace.
  appendFileSync(fx.main.path, '{"type":"assistant","message":{"content":[{"type":"tool_use"\nnot json at all\n{"type":42}\n');
  fx.main.flush();
  ({ client, greetUri } = await startOnGreet(fx));
});

afterAll(() => stopAndCheck(client, fx));

async function stillServes(): Promise<void> {
  const hover = await client.hover(greetUri, lineOf(fx.greetText, "def farewell"));
  expect((hover?.contents as MarkupContent).value).toContain("claude-opus-4-5");
}

describe("robustness", () => {
  it("answers hover without a position with InvalidParams", async () => {
    await expect(client.request("textDocument/hover", { textDocument: { uri: greetUri } })).rejects.toMatchObject({
      code: -32602,
      message: "textDocument/hover: params need a position {line, character} of non-negative integers",
    });
    await expect(client.request("textDocument/hover", { position: { line: 0, character: 0 } })).rejects.toMatchObject({
      code: -32602,
    });
    await expect(client.request("textDocument/hover", { textDocument: { uri: greetUri }, position: { line: -1, character: "x" } })).rejects.toMatchObject({
      code: -32602,
    });
    await stillServes();
  });

  it("answers requests on a document that was never opened with an error naming it", async () => {
    const uri = client.uri(`${fx.project}/never-opened.py`);
    await expect(client.hover(uri, 0)).rejects.toMatchObject({
      code: -32602,
      message: `unknown document ${uri}: it was not opened with textDocument/didOpen`,
    });
    await expect(client.codeLens(uri)).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("aiBlame/lineInfo", { uri, line: 0 })).rejects.toMatchObject({ code: -32602 });
    await stillServes();
  });

  it("rejects a lens whose data this server did not make", async () => {
    await expect(
      client.resolve({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, data: { nonsense: true } }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("codeLens/resolve", null)).rejects.toMatchObject({ code: -32602 });
    await stillServes();
  });

  it("answers an unknown method with MethodNotFound", async () => {
    await expect(client.request("aiBlame/doesNotExist", {})).rejects.toMatchObject({ code: -32601 });
    await stillServes();
  });

  it("gives empty answers for documents that are not files (untitled buffers)", async () => {
    const uri = "untitled:Untitled-1";
    await client.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "python", version: 1, text: "print('hi')\n" },
    });
    expect(await client.hover(uri, 0)).toBeNull();
    expect(await client.codeLens(uri)).toEqual([]);
    expect(await client.request("aiBlame/fileInfo", { uri })).toEqual({ totalLines: 0, aiLines: 0, blocks: [], events: [], edits: [] });
  });

  it("leaves a file outside every folder and repository alone (a library opened by go-to-definition)", async () => {
    const uri = await client.open(`${fx.root}/site-packages/lib.py`, "def f():\n    pass\n", "python");
    expect(await client.hover(uri, 0)).toBeNull();
    expect(await client.codeLens(uri)).toEqual([]);
    expect(client.logs().filter((l) => l.includes("outside the workspace folders"))).toEqual([]);
  });

  it("serves the good edits of a trace that also holds broken lines", async () => {
    expect(await client.lensTitles(greetUri)).toContainEqual("1: ✦ claude-opus-4-5 · 2 edits · 2 days ago");
  });

  it("keeps stdout clean: every byte the server wrote was a JSON-RPC message (nothing leaked to the channel)", async () => {
    // A corrupt frame would have made the client's reader fail and every later request time out.
    await stillServes();
    expect(client.stderr).not.toMatch(/TypeError|ReferenceError/);
  });
});
