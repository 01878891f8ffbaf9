// Vitest global set-up: every temp folder the tests make (mkdtemp under os.tmpdir(), in the test workers and in the
// processes they spawn with the inherited environment) goes under one folder of this run, removed when the run ends.
// Tests create thousands of temp homes, data folders and projects; removing each in every test would be easy to
// forget, and a developer's /tmp filled up run by run (4,800 leftover folders, 13 GB, after one day's work).

import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  // Short, so paths in trace text stay about as long as directly under /tmp (snippet widths in tests depend on it),
  // and open to all like /tmp itself (a test runs the CLI as an unprivileged user on folders it chowns).
  const root = mkdtempSync(join(tmpdir(), "t-"));
  chmodSync(root, 0o1777);
  const previous = process.env["TMPDIR"];
  // Workers start after global set-up and inherit this environment; os.tmpdir() reads TMPDIR on every call.
  process.env["TMPDIR"] = root;
  return () => {
    if (previous === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
