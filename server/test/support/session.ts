// Start and teardown shared by the server's feature tests: the real server over a fixture's traces, and the check
// at the end that the server sent nothing the test did not await (an error log, a stray refresh request).

import { expect } from "vitest";
import type { Fixture } from "./fixture";
import { LspClient } from "./lsp-client";

/** Starts the built server on the fixture's home and project and waits until the first index is built. */
export function startServer(fx: Fixture): Promise<LspClient> {
  return LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
}

/** Starts the server and opens the fixture's main file (greet.py), the document most tests ask about. */
export async function startOnGreet(fx: Fixture): Promise<{ client: LspClient; greetUri: string }> {
  const client = await startServer(fx);
  const greetUri = await client.open(fx.greet, fx.greetText, "python");
  return { client, greetUri };
}

/** Stops the server, removes the fixture, and fails if the server sent anything unexpected. */
export async function stopAndCheck(client: LspClient, fx: Fixture): Promise<void> {
  const unexpected = client.unexpected();
  await client.kill();
  fx.cleanup();
  expect(unexpected).toEqual([]);
}
