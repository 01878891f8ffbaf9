// The real-client test: headless Neovim (Debian `neovim`) attaches the built server to a fixture file and prints
// the hover, the code lenses (resolved by request and by Neovim's own codelens module) and the transcript command's
// answer; the test asserts on that output. Skipped, saying why, only when `nvim` is not installed.

import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import { serverBundle } from "./support/lsp-client";

const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
const hasNeovim = nvim.status === 0;
if (!hasNeovim) console.warn("neovim.test.ts: skipped — `nvim` is not on PATH (apt-get install neovim)");

let fx: Fixture;
let output = "";

function runNeovim(file: string, line: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn("nvim", ["--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c", `luafile ${join(__dirname, "support/neovim-check.lua")}`], {
      env: {
        PATH: process.env.PATH,
        HOME: fx.home,
        XDG_STATE_HOME: join(fx.root, "state"),
        AI_BLAME_DATA_DIR: fx.dataDir,
        AI_BLAME_SERVER: serverBundle,
        AI_BLAME_NODE: process.execPath,
        AI_BLAME_FILE: file,
        AI_BLAME_ROOT: fx.project,
        AI_BLAME_LINE: String(line + 1),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!hasNeovim)("headless Neovim as the client", () => {
  beforeAll(async () => {
    fx = createFixture();
    const run = await runNeovim(fx.greet, lineOf(fx.greetText, "def farewell"));
    output = run.stdout;
    if (run.code !== 0) throw new Error(`nvim exited with ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }, 120_000);

  afterAll(() => fx?.cleanup());

  it("initializes the server", () => {
    expect(output).toMatch(/^nvim \d+\.\d+\.\d+ initialized=true$/m);
    expect(output).toMatch(/^RESULT: ok$/m);
  });

  it("shows the hover with model, agent, time, session, prompt and the :AiBlameTranscript hint, no command URI", () => {
    const hover = /^HOVER: (.*)$/m.exec(output)?.[1] ?? "";
    expect(hover.startsWith("**✦ claude-opus-4-5** · Claude Code 2.0.50 · edited\\n\\n2 days ago (")).toBe(true);
    expect(hover).toContain(`session \`${fx.main.sessionId.slice(0, 8)}\``);
    expect(hover).toContain("> Add a \\`farewell\\` function too");
    expect(hover).not.toContain("command:");
    expect(hover.endsWith("\\n\\n`:AiBlameTranscript` opens the transcript at this edit")).toBe(true);
  });

  it("resolves the code lenses, and Neovim's codelens module shows the same titles", () => {
    const requested = [...output.matchAll(/^CODELENS (line \d+: .*)$/gm)].map((m) => m[1]);
    const shown = [...output.matchAll(/^NVIM-CODELENS (line \d+: .*)$/gm)].map((m) => m[1]);
    // Both edits of the session make one run, ended by the line a human changed.
    expect(requested).toEqual(["line 1: ✦ claude-opus-4-5 · 2 edits · 2 days ago"]);
    expect(shown).toEqual(requested);
  });

  it("runs aiBlame.showTranscript from the lens arguments, at the run's newest edit", () => {
    expect(output).toMatch(new RegExp(`^EXEC: AI session ${fx.main.sessionId.slice(0, 8)} · line \\d+ · \\*\\*Tool Use:\\*\\* \`Edit\` \\(\`toolu_01\\w+\`\\)$`, "m"));
  });
});
