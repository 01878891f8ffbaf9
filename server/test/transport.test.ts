// The LSP transport against broken framing, over stdio with the built server: a Content-Length 10 bytes short, an
// absurd one (99999999999), a malformed header and a body that is not JSON each end the server with exit code 1 and
// one line on stderr (never output on stdout beyond whole frames), so the client restarts it instead of talking to a
// wedged server that ignores even `exit`. Well-formed traffic, split anywhere, is served as before.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { serverBundle } from "./support/lsp-client";

interface Running {
  child: ChildProcess;
  stdout: Buffer[];
  stderr: string;
  exit: Promise<number | null>;
}

const running: Running[] = [];

afterEach(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill("SIGKILL");
});

function start(): Running {
  const home = mkdtempSync(join(tmpdir(), "ai-blame-transport-"));
  const child = spawn(process.execPath, [serverBundle, "--stdio"], {
    env: { PATH: process.env["PATH"], HOME: home, AI_BLAME_DATA_DIR: join(home, "data"), NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const r: Running = { child, stdout: [], stderr: "", exit: new Promise((done) => child.on("exit", (code) => done(code))) };
  child.stdout?.on("data", (chunk: Buffer) => r.stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => (r.stderr += chunk.toString("utf8")));
  running.push(r);
  return r;
}

function frame(message: unknown, lengthDelta = 0): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length + lengthDelta}\r\n\r\n`, "latin1"), body]);
}

const initialize = (home: string) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { processId: null, rootUri: pathToFileURL(home).href, capabilities: {}, workspaceFolders: null },
});
const exitNotification = { jsonrpc: "2.0", method: "exit" };

/** Frames on stdout, parsed strictly: every byte must belong to a whole frame with a JSON body. */
function stdoutFrames(r: Running): unknown[] {
  let bytes = Buffer.concat(r.stdout);
  const out: unknown[] = [];
  while (bytes.length > 0) {
    const end = bytes.indexOf("\r\n\r\n");
    const header = /^Content-Length: (\d+)$/i.exec(bytes.toString("latin1", 0, end));
    expect(header, bytes.toString("utf8").slice(0, 200)).not.toBeNull();
    const length = Number(header?.[1]);
    out.push(JSON.parse(bytes.toString("utf8", end + 4, end + 4 + length)));
    bytes = bytes.subarray(end + 4 + length);
  }
  return out;
}

async function initialized(r: Running): Promise<void> {
  r.child.stdin?.write(frame(initialize(tmpdir())));
  const deadline = Date.now() + 20_000;
  while (!Buffer.concat(r.stdout).includes('"id":1')) {
    if (Date.now() > deadline) throw new Error(`no initialize response; stderr: ${r.stderr}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function expectRestartExit(r: Running): Promise<void> {
  const code = await Promise.race([r.exit, new Promise<string>((done) => setTimeout(() => done("still running"), 15_000))]);
  expect(code).toBe(1);
  expect(r.stderr).toMatch(/the LSP input stream is out of step \(.+\); exiting so the client can restart the server/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  const frames = stdoutFrames(r);
  expect(frames.length).toBeGreaterThanOrEqual(1);
}

describe("LSP transport framing", () => {
  it("serves well-formed traffic split at every few bytes, and exits 0 after shutdown + exit", async () => {
    const r = start();
    const bytes = Buffer.concat([frame(initialize(tmpdir())), frame({ jsonrpc: "2.0", id: 2, method: "shutdown" })]);
    for (let at = 0; at < bytes.length; at += 7) r.child.stdin?.write(bytes.subarray(at, at + 7));
    const deadline = Date.now() + 20_000;
    while (!Buffer.concat(r.stdout).includes('"id":2')) {
      if (Date.now() > deadline) throw new Error(`no shutdown response; stderr: ${r.stderr}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    r.child.stdin?.write(frame(exitNotification));
    expect(await r.exit).toBe(0);
    expect(stdoutFrames(r).map((m) => (m as { id?: number }).id).filter((id) => id !== undefined)).toEqual([1, 2]);
  });

  it("a Content-Length 10 bytes short ends the server (exit 1) instead of swallowing `exit` forever", async () => {
    const r = start();
    await initialized(r);
    r.child.stdin?.write(frame({ jsonrpc: "2.0", id: 5, method: "textDocument/hover", params: { textDocument: { uri: "file:///x" }, position: { line: 0, character: 0 } } }, -10));
    r.child.stdin?.write(frame(exitNotification));
    await expectRestartExit(r);
  });

  it("a Content-Length of 99999999999 is refused at once, not waited for", async () => {
    const r = start();
    await initialized(r);
    r.child.stdin?.write("Content-Length: 99999999999\r\n\r\n{");
    await expectRestartExit(r);
    expect(r.stderr).toMatch(/over the limit/);
  });

  it("a malformed header or a body that is not JSON ends the server", async () => {
    const bad = start();
    await initialized(bad);
    bad.child.stdin?.write("Content-Length: twelve\r\n\r\n{}");
    await expectRestartExit(bad);
    const garbage = start();
    await initialized(garbage);
    garbage.child.stdin?.write("Content-Length: 5\r\n\r\nhello");
    await expectRestartExit(garbage);
    const endless = start();
    await initialized(endless);
    endless.child.stdin?.write(Buffer.alloc(20_000, 0x41));
    await expectRestartExit(endless);
  });
});
