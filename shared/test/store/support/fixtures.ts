// Temp folders, trace discovery by stat and a recording Log for the index tests. Each test gets its own home (with
// a Claude project folder) and its own data dir, removed afterwards, so tests never touch the real home.

import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DiscoveredTrace } from "../../../src/discovery/types";
import type { AgentKind } from "../../../src/events/edit-event";
import type { Log } from "../../../src/util/log";

export interface Sandbox {
  root: string;
  /** `<home>/.claude/projects/-proj`, where traces are written. */
  traces: string;
  dataDir: string;
  project: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "ai-blame-index-"));
  const traces = join(root, "home", ".claude", "projects", "-proj");
  mkdirSync(traces, { recursive: true });
  return {
    root,
    traces,
    dataDir: join(root, "data"),
    project: join(root, "proj"),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function discovered(path: string, agent: AgentKind = "claude-code", compressed = false): DiscoveredTrace {
  const st = statSync(path);
  return { path, agent, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino, compressed };
}

export interface RecordingLog extends Log {
  lines: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  return {
    lines,
    error: (m) => lines.push(`error: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    debug: () => undefined,
  };
}
