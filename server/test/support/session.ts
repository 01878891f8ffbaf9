// Start and teardown shared by the server's feature tests: the real server over a fixture's or the bundled example's
// traces, and the check at the end that the server sent nothing the test did not await (an error log, a stray refresh request).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { createExampleHome, type ExampleHome } from "../../../tests/support/example-home";
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

/** The real server on the bundled example (materialised in a temp folder), with a data folder of its own. */
export interface ExampleServer {
  ex: ExampleHome;
  dataDir: string;
  client: LspClient;
}

/** Starts the server on the bundled example and waits for its first index; `init` adds initialization options. */
export async function startOnExample(init: Record<string, unknown> = {}): Promise<ExampleServer> {
  const ex = await createExampleHome();
  const dataDir = mkdtempSync(join(tmpdir(), "ai-blame-example-server-"));
  const client = await LspClient.start({ home: ex.home, project: ex.project, dataDir, initializationOptions: { home: ex.home, ...init }, waitForIndex: true });
  return { ex, dataDir, client };
}

/** Stops the example's server, removes its folders, and fails if the server sent anything unexpected. */
export async function stopExample(server: ExampleServer | undefined): Promise<void> {
  const unexpected = server?.client.unexpected() ?? [];
  await server?.client.kill();
  server?.ex.cleanup();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
}
