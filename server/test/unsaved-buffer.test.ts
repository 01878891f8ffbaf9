// Full document sync: attribution follows the unsaved buffer, not the file on disk — inserted lines move the AI
// lines down, and retyping an AI line makes it "changed after AI" — and each version is blamed afresh.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import type { LspClient } from "./support/lsp-client";
import { startServer, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;

beforeAll(async () => {
  fx = createFixture();
  client = await startServer(fx);
});

afterAll(() => stopAndCheck(client, fx));

async function hoverText(uri: string, line: number): Promise<string> {
  return ((await client.hover(uri, line))?.contents as MarkupContent | undefined)?.value ?? "(no hover)";
}

describe("unsaved buffer", () => {
  it("moves attribution with lines inserted above, before the file is saved", async () => {
    const uri = await client.open(fx.greet, fx.greetText, "python");
    const before = lineOf(fx.greetText, "def farewell");
    const lensesBefore = ((await client.codeLens(uri)) ?? []).map((l) => l.range.start.line);

    const edited = `"""Greeting helpers."""\n# typed by a human, not saved\n${fx.greetText}`;
    await client.change(uri, edited);
    const after = lineOf(edited, "def farewell");
    expect(after).toBe(before + 2);
    expect(await hoverText(uri, after)).toContain("**✦ claude-opus-4-5**");
    expect(await hoverText(uri, 0)).toContain("This line changed after the last AI edit");
    const lensesAfter = ((await client.codeLens(uri)) ?? []).map((l) => l.range.start.line);
    expect(lensesAfter).toEqual(lensesBefore.map((line) => line + 2));
    expect((await client.codeLens(uri))?.every((l) => (l.data as { version: number }).version === 2)).toBe(true);
  });

  it("marks an AI line retyped in the buffer as changed after the AI", async () => {
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    const line = lineOf(fx.utilText, "Math.min");
    expect(await hoverText(uri, line)).toContain("claude-sonnet-4-5");
    await client.change(uri, fx.utilText.replace("Math.min(high, Math.max(low, value))", "value < low ? low : value > high ? high : value"));
    expect(await hoverText(uri, line)).toContain("This line changed after the last AI edit");
    // The lines around it keep their owner.
    expect(await hoverText(uri, line - 1)).toContain("claude-sonnet-4-5");
  });
});
