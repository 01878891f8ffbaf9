// workspace/executeCommand `aiBlame.searchTranscripts` over stdio: the sessions whose conversation matches, with
// snippets, newest first; a regular expression; nothing found; and bad arguments or a bad pattern as protocol errors.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchTranscriptsResult } from "@ai-blame/shared";
import { createFixture, type Fixture } from "./support/fixture";
import type { LspClient } from "./support/lsp-client";
import { startOnGreet, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;

beforeAll(async () => {
  fx = createFixture();
  ({ client } = await startOnGreet(fx));
});

afterAll(() => stopAndCheck(client, fx));

const search = (args: unknown) =>
  client.request<SearchTranscriptsResult>("workspace/executeCommand", { command: "aiBlame.searchTranscripts", arguments: [args] });

describe("aiBlame.searchTranscripts", () => {
  it("finds the sessions that mention a text, any case, newest first, with snippets", async () => {
    const result = await search({ query: "FUNCTION" });
    expect(result.totalMatches).toBe(2);
    expect(result.hits.map((h) => h.sessionId)).toEqual([fx.second.sessionId, fx.main.sessionId]);
    const main = result.hits[1];
    expect(main?.traceFile).toBe(fx.main.path);
    expect(main?.matches[0]).toMatchObject({ role: "user", blockType: "text", snippet: "Create a greeting module with a greet function" });
    expect(main?.matches.length).toBeLessThanOrEqual(3);
  });

  it("takes a regular expression, and says when nothing matches", async () => {
    const result = await search({ query: "clamp\\s+helper", regex: true });
    expect(result.hits.map((h) => h.sessionId)).toEqual([fx.second.sessionId]);
    expect(await search({ query: "no session says this" })).toEqual({ hits: [], totalMatches: 0 });
  });

  it("answers bad arguments and a bad pattern with InvalidParams", async () => {
    await expect(client.request("workspace/executeCommand", { command: "aiBlame.searchTranscripts", arguments: [{}] })).rejects.toMatchObject({ code: -32602 });
    await expect(search({ query: "(unclosed", regex: true })).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/^invalid regex pattern/) });
  });
});
