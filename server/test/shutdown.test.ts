// shutdown/exit: the process ends with 0 after shutdown + exit, with 1 on exit without shutdown (LSP), and when the
// client's end of stdin closes (a crashed editor) — it never lingers.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";

let fx: Fixture;
let client: LspClient | null = null;

beforeEach(() => {
  fx = createFixture();
});

afterEach(async () => {
  await client?.kill();
  client = null;
  fx.cleanup();
});

function exitOf(c: LspClient): Promise<number | null> {
  return new Promise((done) => {
    if (c.process.exitCode !== null) done(c.process.exitCode);
    else c.process.on("exit", (code) => done(code));
  });
}

describe("shutdown and exit", () => {
  it("exits with 0 after shutdown then exit, with watchers running", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
    await client.open(fx.greet, fx.greetText, "python");
    expect(await client.shutdown()).toBe(0);
    expect(client.unexpected()).toEqual([]);
  });

  it("exits with 1 on exit without shutdown", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
    const exited = exitOf(client);
    await client.connection.sendNotification("exit");
    expect(await exited).toBe(1);
  });

  it("ends when the client closes its stdin", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
    const exited = exitOf(client);
    client.process.stdin?.end();
    expect(await exited).toBe(1);
  });
});
