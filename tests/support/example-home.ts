// Test helper: materializes the bundled example (examples/project + trace templates) into a fresh temp folder and
// returns its paths, plus the example's expected events and per-line attribution. Each call gets its own folder,
// so tests may modify the project or append to traces freely; `cleanup()` removes the folder.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface ExampleHome {
  /** The temp folder holding `home/` and `project/`. */
  root: string;
  /** Use as `--home` / `EngineOptions.home`: holds `.claude/projects/…` and `.codex/sessions/…`. */
  home: string;
  /** The project folder (absolute, symlinks resolved): use as `--dir`. */
  project: string;
  /** The Claude project folder of the example inside `home`. */
  claudeProjectDir: string;
  /** `home/.codex/sessions`. */
  codexSessionsDir: string;
  /** Every trace file written. */
  traces: string[];
  cleanup(): void;
}

/** An edit event of the example as the story generated it (project-relative file). */
export interface ExpectedEvent {
  index: number;
  file: string;
  agent: "claude-code" | "codex-cli";
  agentVersion: string;
  model: string;
  sessionId: string;
  subagentId: string | null;
  toolCallId: string;
  timestamp: string;
  action: "CREATED" | "EDITED" | "DELETED";
  /** The full human prompt behind the edit. */
  prompt: string;
}

/** One line of a current file: the event (index into `events`) that last wrote it, or null and a reason. */
export interface ExpectedLine {
  line: number;
  text: string;
  event: number | null;
  reason: null | "not-in-traces" | "changed-after-ai" | "changed-outside-traces";
  /** Its owner depends on how a line diff aligns repeated lines (blank lines, `return 0`) at a block edge: skip it. */
  ambiguous?: true;
}

export interface ExpectedExample {
  events: ExpectedEvent[];
  /** Keyed by project-relative path, for every file in examples/project. */
  blame: Record<string, ExpectedLine[]>;
}

interface MaterializeModule {
  materializeExample(dest: string): Omit<ExampleHome, "cleanup">;
}

/** Materialize the example into a new temp folder. */
export async function createExampleHome(): Promise<ExampleHome> {
  const url = pathToFileURL(join(repoRoot, "scripts", "materialize-example.mjs")).href;
  const mod = (await import(url)) as MaterializeModule;
  const dest = mkdtempSync(join(tmpdir(), "ai-blame-example-"));
  try {
    const paths = mod.materializeExample(dest);
    return { ...paths, cleanup: () => rmSync(paths.root, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dest, { recursive: true, force: true });
    throw e;
  }
}

/** The example's ground truth (examples/expected.json). */
export function expectedExample(): ExpectedExample {
  return JSON.parse(readFileSync(join(repoRoot, "examples", "expected.json"), "utf8")) as ExpectedExample;
}
