// Test support: a throw-away home folder with a project inside it, and writers that place the hand-written JSONL
// fixtures (which say `{{PROJECT}}` where a real trace holds the absolute project path) where Claude Code and Codex
// would have written them, with the real temp path substituted. Every test gets its own folder; nothing is shared.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MemoryContentStore } from "../../src/store/content-store";
import { encodeClaudeProjectPath } from "../../src/agents/claude/folder-names";
import type { EditEvent } from "../../src/events/edit-event";
import type { ParseOutput, TraceParser } from "../../src/traces/parser";

export const FIXTURES = join(__dirname, "..", "fixtures");

export interface TempHome {
  /** The temp folder holding everything (removed by cleanup). */
  root: string;
  home: string;
  project: string;
  cleanup(): void;
}

/** A fresh temp folder with `home/` and a project folder (default `work/my_app.v2`, which exercises `_` and `.`). */
export function makeTempHome(projectRel = "work/my_app.v2"): TempHome {
  const root = mkdtempSync(join(tmpdir(), "ai-blame-traces-"));
  const home = join(root, "home");
  const project = join(root, projectRel);
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  return { root, home, project, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A fixture's bytes with `{{PROJECT}}` (and any other `{{NAME}}`) replaced, JSON-escaped; other bytes untouched. */
export function fixtureBytes(name: string, vars: Record<string, string>): Buffer {
  // latin1 maps bytes 1:1, so invalid UTF-8 in a fixture survives the substitution.
  const raw = readFileSync(join(FIXTURES, name)).toString("latin1");
  const replaced = raw.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const value = vars[key];
    return value === undefined ? whole : Buffer.from(JSON.stringify(value).slice(1, -1), "utf8").toString("latin1");
  });
  return Buffer.from(replaced, "latin1");
}

/** A (valid UTF-8) fixture's text with its placeholders replaced. */
export function fixtureText(name: string, vars: Record<string, string>): string {
  return fixtureBytes(name, vars).toString("utf8");
}

/** Writes `text` to `path`, creating folders. Returns the path. */
export function writeTrace(path: string, text: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Where Claude Code keeps a session of `project` under `projectsRoot` (default `<home>/.claude/projects`). */
export function claudeSessionPath(home: string, project: string, fileName: string, projectsRoot?: string): string {
  return join(projectsRoot ?? join(home, ".claude", "projects"), encodeClaudeProjectPath(project), fileName);
}

/** Where Codex keeps a rollout (`<codexHome>/sessions/YYYY/MM/DD/rollout-…-<id>.jsonl`). */
export function codexRolloutPath(codexHome: string, id: string, day = "2025/12/29", ext = ".jsonl"): string {
  return join(codexHome, "sessions", ...day.split("/"), `rollout-2025-12-29T11-54-27-${id}${ext}`);
}

/** Writes a fixture into place for `project` and returns its path. */
export function placeFixture(name: string, path: string, project: string, extra: Record<string, string> = {}): string {
  return writeTrace(path, fixtureBytes(name, { PROJECT: project, ...extra }));
}

/** Parses a whole file from offset 0 with a fresh content store. */
export async function parseWhole(parser: TraceParser, path: string): Promise<ParseOutput & { contents: MemoryContentStore }> {
  const contents = new MemoryContentStore();
  const out = await parser.parse({ path, fromOffset: 0, state: null, contents });
  return { ...out, contents };
}

/** A compact, comparable view of an event (what most assertions look at). */
export function brief(e: EditEvent, project: string): Record<string, unknown> {
  return {
    file: e.file.startsWith(`${project}/`) ? e.file.slice(project.length + 1) : e.file,
    action: e.action,
    tool: e.toolName,
    model: e.model,
    call: e.toolCallId,
  };
}
