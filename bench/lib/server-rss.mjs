// @ts-check
// The language server's cold index as an editor starts it: `node server/dist/server.js --stdio` on the generated home
// and project with an empty data folder, `initialize` with work-done progress support, then wait for the index's
// progress to end. Reports the time from spawn to that end, the edit events its last report names, and the process's
// CPU time and peak RSS (utime + stime of /proc/PID/stat, VmHWM of /proc/PID/status, read while it still runs:
// worker threads are in the same process).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Longest wait for the first index (a 3 GB folder on a loaded machine takes minutes). */
const TIMEOUT_MS = 30 * 60_000;

/** Clock ticks per second of /proc/PID/stat's times. */
let ticks = 0;

/**
 * Peak and current RSS (MiB) and CPU time (user + system, ms) of a running process, or nulls where /proc is not there.
 * @param {number} pid
 */
function procUsage(pid) {
  /** @type {{ peakRssMB: number | null, rssMB: number | null, cpuMs: number | null }} */
  const usage = { peakRssMB: null, rssMB: null, cpuMs: null };
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (/** @type {string} */ field) => {
      const m = new RegExp(`^${field}:\\s*(\\d+) kB`, "m").exec(status);
      return m ? Number(m[1]) / 1024 : null;
    };
    usage.peakRssMB = kb("VmHWM");
    usage.rssMB = kb("VmRSS");
    // Fields after the command name (which may hold spaces, hence from the last ')'): utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (ticks === 0) ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
    usage.cpuMs = ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000;
  } catch {
    // Not Linux: the time alone.
  }
  return usage;
}

/**
 * @typedef {{ ms: number, cpuMs: number | null, peakRssMB: number | null, rssMB: number | null, events: number | null,
 *   error?: string }} ServerRun
 * @param {string} serverJs @param {{ project: string, home: string }} inputs @param {string} dataDir an empty folder
 * @returns {Promise<ServerRun>}
 */
export function measureServerIndex(serverJs, inputs, dataDir) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [serverJs, "--stdio"], {
    cwd: inputs.project,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: inputs.home, AI_BLAME_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk.toString("utf8")));
  const send = (/** @type {object} */ message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  return new Promise((resolve) => {
    /** @type {string | null} */
    let lastReport = null;
    let settled = false;
    /** @param {Partial<ServerRun>} result */
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const usage = procUsage(/** @type {number} */ (child.pid));
      const events = lastReport === null ? null : Number(/(\d+) new edit events/.exec(lastReport)?.[1] ?? Number.NaN);
      child.stdin.end();
      child.kill();
      resolve({ ms, ...usage, events: Number.isFinite(events) ? events : null, ...result });
    };
    const timer = setTimeout(() => finish({ error: `no end of the index's progress within ${TIMEOUT_MS / 60_000} min` }), TIMEOUT_MS);
    child.on("exit", (code) => finish({ error: `the server exited (code ${code}) before its index was done: ${stderr.trim().split("\n")[0] ?? ""}` }));
    child.on("error", (error) => finish({ error: `could not start the server: ${error.message}` }));
    /** @param {any} message */
    const handle = (message) => {
      // Requests from the server (progress token, configuration): answer each so it carries on.
      if (message.id !== undefined && typeof message.method === "string") {
        const result = message.method === "workspace/configuration" ? (message.params?.items ?? []).map(() => ({})) : null;
        send({ id: message.id, result });
      } else if (message.method === "$/progress") {
        const value = message.params?.value ?? {};
        if (typeof value.message === "string") lastReport = value.message;
        if (value.kind === "end") finish({});
      } else if (message.id === 1 && message.error) {
        finish({ error: `initialize failed: ${message.error.message}` });
      } else if (message.id === 1) {
        send({ method: "initialized", params: {} });
      }
    };
    let buffer = Buffer.alloc(0);
    child.stdout.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
        if (!Number.isFinite(length) || buffer.length < headerEnd + 4 + length) return;
        handle(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8")));
        buffer = buffer.subarray(headerEnd + 4 + length);
      }
    });
    const rootUri = pathToFileURL(inputs.project).href;
    send({
      id: 1,
      method: "initialize",
      params: {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: "project" }],
        capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } },
        initializationOptions: { home: inputs.home },
      },
    });
  });
}
