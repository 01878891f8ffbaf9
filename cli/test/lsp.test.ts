// `ai-blame lsp` serves the language server from the CLI bundle: a JSON-RPC initialize over stdio gets the server's
// capabilities back, and shutdown + exit end the process cleanly. Nothing but protocol frames may reach stdout.

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliPath, tempDir } from "./support/run-cli";

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Splits a stdout buffer into JSON-RPC messages; returns the messages and the unconsumed rest. */
function parseFrames(buffer: Buffer): { messages: Array<Record<string, unknown>>; rest: Buffer } {
  const messages: Array<Record<string, unknown>> = [];
  let rest = buffer;
  for (;;) {
    const headerEnd = rest.indexOf("\r\n\r\n");
    if (headerEnd < 0) break;
    const m = /Content-Length: (\d+)/i.exec(rest.subarray(0, headerEnd).toString("ascii"));
    if (!m) throw new Error(`bad frame header: ${rest.subarray(0, headerEnd).toString()}`);
    const length = Number(m[1]);
    if (rest.length < headerEnd + 4 + length) break;
    messages.push(JSON.parse(rest.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8")) as Record<string, unknown>);
    rest = rest.subarray(headerEnd + 4 + length);
  }
  return { messages, rest };
}

describe("lsp", () => {
  it("answers initialize over stdio and exits after shutdown + exit", async () => {
    const home = tempDir("ai-blame-lsp-home-");
    const project = tempDir("ai-blame-lsp-project-");
    const child = spawn(process.execPath, [cliPath, "lsp", "--stdio"], {
      cwd: project,
      env: { PATH: process.env["PATH"], HOME: home, AI_BLAME_DATA_DIR: tempDir("ai-blame-lsp-data-"), NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffer: Buffer = Buffer.alloc(0);
    const received: Array<Record<string, unknown>> = [];
    const waiters: Array<{ id: number; resolve: (m: Record<string, unknown>) => void }> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      const parsed = parseFrames(Buffer.concat([buffer, chunk]));
      buffer = parsed.rest;
      for (const m of parsed.messages) {
        received.push(m);
        // Answer server-to-client requests (configuration, progress creation…) with empty results.
        if (m["method"] !== undefined && m["id"] !== undefined) {
          const result = m["method"] === "workspace/configuration" ? [] : null;
          child.stdin.write(frame({ jsonrpc: "2.0", id: m["id"], result }));
        }
        const waiter = waiters.find((w) => m["id"] === w.id && m["method"] === undefined);
        if (waiter) waiter.resolve(m);
      }
    });
    const request = (id: number, method: string, params: unknown) =>
      new Promise<Record<string, unknown>>((resolve) => {
        waiters.push({ id, resolve });
        child.stdin.write(frame({ jsonrpc: "2.0", id, method, params }));
      });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

    const init = await request(1, "initialize", {
      processId: process.pid,
      rootUri: `file://${project}`,
      workspaceFolders: [{ uri: `file://${project}`, name: "project" }],
      capabilities: {},
    });
    const result = init["result"] as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
    expect(result.capabilities).toHaveProperty("hoverProvider");
    expect(result.capabilities).toHaveProperty("codeLensProvider");
    child.stdin.write(frame({ jsonrpc: "2.0", method: "initialized", params: {} }));
    const shutdown = await request(2, "shutdown", null);
    expect(shutdown["result"]).toBeNull();
    child.stdin.write(frame({ jsonrpc: "2.0", method: "exit", params: null }));
    expect(await exited).toBe(0);
    expect(buffer.length).toBe(0);
  });
});
