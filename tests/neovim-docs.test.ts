// Every Lua snippet of docs/editors.md's Neovim section, run as written in headless Neovim on each version
// tests/support/neovims.ts finds (a snippet marked `nvim >= X.Y` only where that holds): `ai-blame` on PATH is the
// built CLI, `/path/to/ai-blame-ts` is this checkout, and lazy.nvim's part is played by calling the spec's
// `config`. Each must attach the `ai_blame` client to a file of a git project and answer a hover naming the model.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, lineOf, type Fixture } from "../server/test/support/fixture";
import { findNeovims, runNeovim, type Neovim } from "./support/neovims";

const repoRoot = join(__dirname, "..");
const neovims = findNeovims("neovim-docs.test.ts");

interface Snippet {
  name: string;
  minimum: [number, number] | null;
  code: string;
}

/** The `<!-- nvim-snippet: NAME[, nvim >= X.Y] -->` blocks of the Neovim section, in order. */
function snippets(): Snippet[] {
  const doc = readFileSync(join(repoRoot, "docs/editors.md"), "utf8");
  const section = doc.slice(doc.indexOf("\n## Neovim\n"), doc.indexOf("\n## Helix\n"));
  const found: Snippet[] = [];
  for (const m of section.matchAll(/<!-- nvim-snippet: ([\w-]+)(?:, nvim >= (\d+)\.(\d+))? -->\n```lua\n([\s\S]*?)\n```/g)) {
    found.push({ name: m[1] ?? "", minimum: m[2] ? [Number(m[2]), Number(m[3])] : null, code: m[4] ?? "" });
  }
  return found;
}

function runsOn(snippet: Snippet, nvim: Neovim): boolean {
  if (!snippet.minimum) return true;
  const [major, minor] = nvim.version.split(".").map(Number) as [number, number];
  return major > snippet.minimum[0] || (major === snippet.minimum[0] && minor >= snippet.minimum[1]);
}

const all = snippets();
const cases = neovims.flatMap((nvim) => all.filter((s) => runsOn(s, nvim)).map((snippet) => ({ nvim, snippet, label: `${snippet.name} on nvim ${nvim.version}` })));

let fx: Fixture;
let bin: string;

beforeAll(() => {
  fx = createFixture();
  mkdirSync(join(fx.project, ".git"));
  bin = mkdtempSync(join(tmpdir(), "ai-blame-nvim-docs-bin-"));
  const shim = join(bin, "ai-blame");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "cli/dist/ai-blame.js")}" "$@"\n`);
  chmodSync(shim, 0o755);
});

afterAll(() => {
  fx?.cleanup();
  if (bin) rmSync(bin, { recursive: true, force: true });
});

describe("docs/editors.md Neovim snippets", () => {
  it("has the snippets this test knows how to run, and no Lua block outside them", () => {
    expect(all.map((s) => s.name)).toEqual(["lazy", "checkout", "lsp-config"]);
    const doc = readFileSync(join(repoRoot, "docs/editors.md"), "utf8");
    expect(doc.match(/```lua\n/g)?.length).toBe(all.length);
  });

  it.each(cases)("$label attaches ai_blame and hovers", async ({ nvim, snippet }) => {
    const file = join(fx.root, `snippet-${snippet.name}-${nvim.version}.lua`);
    writeFileSync(file, snippet.code.replaceAll("/path/to/ai-blame-ts", repoRoot));
    const run = await runNeovim(nvim, join(repoRoot, "editors/nvim/test/docs-check.lua"), fx.project, {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: fx.home,
      XDG_STATE_HOME: join(fx.root, "state"),
      XDG_CONFIG_HOME: join(fx.root, "config"),
      AI_BLAME_DATA_DIR: fx.dataDir,
      AI_BLAME_REPO: repoRoot,
      AI_BLAME_SNIPPET: file,
      AI_BLAME_SNIPPET_KIND: snippet.name,
      AI_BLAME_FILE: fx.greet,
      AI_BLAME_LINE: String(lineOf(fx.greetText, "def farewell") + 1),
    });
    const where = `${snippet.name} on ${nvim.version}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect(run.code, where).toBe(0);
    expect(run.stdout, where).toMatch(/^ATTACHED: true$/m);
    expect(/^HOVER: (.*)$/m.exec(run.stdout)?.[1], where).toMatch(/^\*\*✦ claude-opus-4-5\*\* · Claude Code 2\.0\.50 · edited/);
  });
});
