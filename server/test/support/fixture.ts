// The server tests' project: a temp home with Claude Code traces, a project whose files agree with them (plus one
// line a human changed after the AI, and a file no agent touched), and a private index folder. Every test gets a
// fresh copy, so tests can append to traces and edit buffers without affecting each other.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ClaudeSession, daysAgo } from "./claude-trace";

export interface Fixture {
  root: string;
  home: string;
  project: string;
  dataDir: string;
  /** src/greet.py: written by the AI, extended by a second edit, last line changed by a human. */
  greet: string;
  greetText: string;
  /** src/util.ts: written by a second session with another model. */
  util: string;
  utilText: string;
  /** README.md: no agent ever touched it. */
  readme: string;
  readmeText: string;
  main: ClaudeSession;
  second: ClaudeSession;
  cleanup(): void;
}

export const GREET_PROMPT = "Create a greeting module with a greet function";
export const FAREWELL_PROMPT = "Add a `farewell` function too — use *f-strings* and keep <stdout> clean";

export function createFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), "ai-blame-server-"));
  const home = join(root, "home");
  const project = join(root, "project");
  const dataDir = join(root, "data");
  for (const dir of [home, project, dataDir]) mkdirSync(dir, { recursive: true });
  const greet = join(project, "src", "greet.py");
  const util = join(project, "src", "util.ts");
  const readme = join(project, "README.md");

  const main = new ClaudeSession({ home, project, version: "2.0.50" });
  main
    .prompt(GREET_PROMPT, daysAgo(3, 2))
    .write(
      greet,
      'import sys\n\n\ndef greet(name):\n    return f"Hello, {name}!"\n\n\nif __name__ == "__main__":\n    print(greet(sys.argv[1]))\n',
      daysAgo(3, 1),
    )
    .prompt(FAREWELL_PROMPT, daysAgo(2, 2))
    .edit(
      greet,
      '    return f"Hello, {name}!"\n',
      '    return f"Hello, {name}!"\n\n\ndef farewell(name):\n    return f"Goodbye, {name}."\n',
      daysAgo(2, 1),
    )
    .flush();

  const second = new ClaudeSession({ home, project, model: "claude-sonnet-4-5-20250929", version: "2.0.55" });
  second
    .prompt("Add a clamp helper in TypeScript", daysAgo(1, 3))
    .write(util, "export function clamp(value: number, low: number, high: number): number {\n  return Math.min(high, Math.max(low, value));\n}\n", daysAgo(1, 2))
    .flush();

  // A human changed the last line after the AI's edits.
  const greetText = main.content(greet).replace("print(greet(sys.argv[1]))", 'print(greet(sys.argv[1] if len(sys.argv) > 1 else "world"))');
  const utilText = second.content(util);
  const readmeText = "# Greeter\n\nA tiny example project.\n";
  for (const [file, text] of [
    [greet, greetText],
    [util, utilText],
    [readme, readmeText],
  ] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return {
    root,
    home,
    project,
    dataDir,
    greet,
    greetText,
    util,
    utilText,
    readme,
    readmeText,
    main,
    second,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** 0-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`fixture: no line contains ${needle}`);
  return index;
}
