// A JSON-RPC test client for the built server: spawns `node server/dist/server.js --stdio`, answers
// workspace/configuration from a settings object the test can change, records every notification and server
// request, and at teardown fails when the server sent something no test awaited (an error log, a refresh request).

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeLens,
  type Hover,
  type MessageConnection,
} from "vscode-languageserver-protocol/node";

export const repoRoot = resolve(__dirname, "../../..");
export const serverBundle = join(repoRoot, "server/dist/server.js");

export interface Message {
  method: string;
  params: unknown;
  /** Set once a test waited for this message. */
  seen: boolean;
}

export interface StartOptions {
  home: string;
  project: string;
  dataDir: string;
  initializationOptions?: unknown;
  /** The `aiBlame` section answered to workspace/configuration; null = the client has no configuration support. */
  configuration?: Record<string, unknown> | null;
  capabilities?: ClientCapabilities;
  /** Wait for the first index's progress to end before returning (needs workDoneProgress support). */
  waitForIndex?: boolean;
  /** Initialize with no rootUri and no workspace folders (a client opening single files). */
  noFolders?: boolean;
  /** `clientInfo.name` to send (e.g. "Neovim"). */
  clientName?: string;
  /** The Node that runs the server (default: the one running the tests). */
  node?: string;
}

export const fullCapabilities: ClientCapabilities = {
  textDocument: {
    hover: { contentFormat: ["markdown", "plaintext"] },
    codeLens: {},
    inlayHint: {},
    synchronization: { didSave: true },
  },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
  },
  window: { workDoneProgress: true },
  // What the VS Code extension declares: hovers may carry `command:` links.
  experimental: { aiBlame: { commandLinks: true } },
};

const WAIT_MS = 20_000;

export class LspClient {
  readonly notifications: Message[] = [];
  readonly requests: Message[] = [];
  configuration: Record<string, unknown> | null;
  stderr = "";
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private exitCode: number | null = null;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
    readonly options: StartOptions,
  ) {
    this.configuration = options.configuration === undefined ? {} : options.configuration;
    this.exited = new Promise((done) => process.on("exit", (code) => done((this.exitCode = code))));
    process.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
    });
    connection.onNotification((method, params) => this.push(this.notifications, method, params));
    // vscode-jsonrpc routes `$/progress` to per-token handlers, never to the star handler.
    connection.onUnhandledProgress((params) => this.push(this.notifications, "$/progress", params));
    connection.onRequest((method, params) => {
      this.push(this.requests, method, params);
      if (method === "workspace/configuration") {
        const items = (params as { items: unknown[] }).items;
        return items.map(() => this.configuration);
      }
      return null;
    });
  }

  static async start(options: StartOptions): Promise<LspClient> {
    if (!existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run node scripts/build.mjs server first`);
    const child = spawn(options.node ?? process.execPath, [serverBundle, "--stdio"], {
      env: {
        PATH: process.env.PATH,
        HOME: options.home,
        AI_BLAME_DATA_DIR: options.dataDir,
        NODE_OPTIONS: "",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    if (!child.stdout || !child.stdin) throw new Error("spawn without pipes");
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options);
    connection.listen();
    const capabilities = options.capabilities ?? (options.configuration === null ? noConfigCapabilities() : fullCapabilities);
    const projectUri = pathToFileURL(options.project).href;
    client.initializeResult = await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: options.noFolders ? null : projectUri,
      capabilities,
      ...(options.clientName ? { clientInfo: { name: options.clientName } } : {}),
      initializationOptions: options.initializationOptions ?? null,
      workspaceFolders: options.noFolders ? null : [{ uri: projectUri, name: "project" }],
    });
    await connection.sendNotification("initialized", {});
    if (options.waitForIndex) await client.waitForProgressEnd();
    return client;
  }

  initializeResult: unknown = null;

  uri(path: string): string {
    return pathToFileURL(path).href;
  }

  async open(path: string, text: string, languageId = "plaintext"): Promise<string> {
    const uri = this.uri(path);
    this.versions.set(uri, 1);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  hover(uri: string, line: number, character = 0): Promise<Hover | null> {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line, character } });
  }

  codeLens(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest("textDocument/codeLens", { textDocument: { uri } });
  }

  resolve(lens: CodeLens): Promise<CodeLens> {
    return this.connection.sendRequest("codeLens/resolve", lens);
  }

  /** Lenses with their resolved titles, as "line: title" (1-based lines). */
  async lensTitles(uri: string): Promise<string[]> {
    const lenses = (await this.codeLens(uri)) ?? [];
    const resolved = await Promise.all(lenses.map((lens) => this.resolve(lens)));
    return resolved.map((lens) => `${lens.range.start.line + 1}: ${lens.command?.title ?? "(unresolved)"}`);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  /** Waits until a notification (not yet seen) matching `method` and `accept` arrives, and marks it seen. */
  waitForNotification(method: string, accept: (params: unknown) => boolean = () => true): Promise<Message> {
    return this.waitFor(this.notifications, method, accept);
  }

  /** Waits for a server → client request (e.g. workspace/codeLens/refresh) and marks it seen. */
  waitForRequest(method: string, accept: (params: unknown) => boolean = () => true): Promise<Message> {
    return this.waitFor(this.requests, method, accept);
  }

  /** Waits for the end of a work-done progress (the first index). */
  async waitForProgressEnd(): Promise<void> {
    await this.waitForNotification("$/progress", (p) => (p as { value?: { kind?: string } }).value?.kind === "end");
  }

  /** Marks every message of a method as seen (for tests that do not care about, e.g., info logs). */
  acknowledge(method: string): void {
    for (const m of [...this.notifications, ...this.requests]) if (m.method === method) m.seen = true;
  }

  /** Log messages (window/logMessage) as "type: message". */
  logs(): string[] {
    return this.notifications
      .filter((n) => n.method === "window/logMessage")
      .map((n) => {
        const p = n.params as { type: number; message: string };
        return `${["", "error", "warn", "info", "log"][p.type] ?? p.type}: ${p.message}`;
      });
  }

  /** Sends shutdown + exit, waits for the process to end and returns its exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** Ends the server if a test left it running; never throws. */
  async kill(): Promise<void> {
    if (this.exitCode === null && this.process.exitCode === null) {
      this.process.kill();
      await this.exited;
    }
    this.connection.dispose();
  }

  /**
   * Messages a test should have awaited but did not: error logs, refresh requests and shown messages. Everything
   * else (info logs, progress, configuration) is routine.
   */
  unexpected(): string[] {
    const notable = (m: Message) =>
      !m.seen &&
      (m.method === "workspace/codeLens/refresh" ||
        m.method === "workspace/inlayHint/refresh" ||
        m.method === "window/showMessage" ||
        (m.method === "window/logMessage" && (m.params as { type: number }).type === 1));
    return [...this.requests, ...this.notifications].filter(notable).map((m) => `${m.method} ${JSON.stringify(m.params)}`);
  }

  private push(list: Message[], method: string, params: unknown): void {
    list.push({ method, params, seen: false });
    for (const listener of [...this.listeners]) listener();
  }

  private waitFor(list: Message[], method: string, accept: (params: unknown) => boolean): Promise<Message> {
    return new Promise((done, fail) => {
      const check = (): boolean => {
        const found = list.find((m) => !m.seen && m.method === method && accept(m.params));
        if (!found) return false;
        found.seen = true;
        this.listeners.delete(listener);
        clearTimeout(timer);
        done(found);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        fail(new Error(`no ${method} within ${WAIT_MS} ms; stderr: ${this.stderr.slice(-2000)}; logs: ${this.logs().join(" | ")}`));
      }, WAIT_MS);
      this.listeners.add(listener);
      check();
    });
  }
}

function noConfigCapabilities(): ClientCapabilities {
  return { ...fullCapabilities, workspace: { ...fullCapabilities.workspace, configuration: false } };
}
