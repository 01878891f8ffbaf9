// A throwaway project for CLI tests: a temp project folder, a temp home for its traces and a temp data dir for the
// index, plus `run()` that starts the built CLI inside the project with that home. Nothing outside the temp dirs
// is read or written.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type RunOptions, type RunResult, runCli, tempDir } from "./run-cli";

export interface TestProject {
  root: string;
  home: string;
  project: string;
  data: string;
  /** Absolute path of a project file. */
  path(rel: string): string;
  /** Writes a project file (creating folders). */
  file(rel: string, content: string | Buffer): string;
  run(args: string[], options?: RunOptions): Promise<RunResult>;
}

export function makeProject(): TestProject {
  const root = tempDir();
  const home = join(root, "home");
  const project = join(root, "my-project");
  const data = join(root, "data");
  for (const dir of [home, project, data]) mkdirSync(dir, { recursive: true });
  const path = (rel: string) => join(project, rel);
  return {
    root,
    home,
    project,
    data,
    path,
    file(rel, content) {
      const abs = path(rel);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return abs;
    },
    run(args, options = {}) {
      return runCli(args, {
        cwd: project,
        ...options,
        env: { HOME: home, AI_BLAME_DATA_DIR: data, ...options.env },
      });
    },
  };
}
