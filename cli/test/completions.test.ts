// `ai-blame completions bash|zsh|fish` through the built CLI, exercised in the real shells: bash's completion
// function is called with simulated COMP_WORDS, fish answers `complete -C`, zsh loads the script through compinit.
// Tests needing zsh or fish say they skipped when the shell is not installed (scripts/setup-system.sh).

import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { cliPath, commandNames, runCli, tempDir } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

const scripts: Record<string, string> = {};
const dir = tempDir("ai-blame-compl-");

beforeAll(async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runCli(["completions", shell]);
    expect(r.code).toBe(0);
    scripts[shell] = join(dir, `ai-blame.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
});

/** Runs the bash completion function for a command line whose last word is being completed. */
function bashComplete(line: string): string[] {
  const words = line.split(" ");
  const script = [
    `source ${JSON.stringify(scripts["bash"])}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${words.length - 1}`,
    `_ai_blame`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  const out = execFileSync("bash", ["--norc", "--noprofile", "-c", script], { cwd: dir, encoding: "utf8" });
  return out.split("\n").filter((l) => l !== "");
}

const shellEnv = () => ({ ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_DATA_HOME: join(dir, "data") });

describe("completions", () => {
  it("bash completes commands, options, option values and arguments from the command tree", () => {
    expect(bashComplete("ai-blame ")).toEqual(expect.arrayContaining(["stats", "timeline", "blame", "completions", "lsp"]));
    expect(bashComplete("ai-blame --")).toEqual(["--version", "--no-pager", "--help"]);
    expect(bashComplete("ai-blame bl")).toEqual(["blame"]);
    expect(bashComplete("ai-blame blame --li")).toEqual(["--lines"]);
    expect(bashComplete("ai-blame timeline --")).toEqual(expect.arrayContaining(["--limit", "--json", "--since", "--until", "--pattern", "--home", "--trace-dir", "--no-cache", "--help"]));
    expect(bashComplete("ai-blame completions ")).toEqual(["bash", "zsh", "fish"]);
    expect(bashComplete("ai-blame transcript ")).toEqual(["list", "view", "search"]);
    expect(bashComplete("ai-blame transcript list --format ")).toEqual(["table", "json"]);
    writeFileSync(join(dir, "main.py"), "x\n");
    expect(bashComplete("ai-blame blame --home /tmp/no-such-prefix-xyz")).toEqual([]);
    expect(bashComplete("ai-blame blame --lines 1-2 mai")).toEqual(["main.py"]);
    expect(bashComplete("ai-blame stats --home ai-blame.ba")).toEqual(["ai-blame.bash"]);
  });

  it("every registered command appears in every script", async () => {
    const help = await runCli(["--help"]);
    const names = commandNames(help.stdout);
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await runCli(["completions", shell]);
      for (const name of names) expect(r.stdout, `${shell}: ${name}`).toContain(name);
    }
  });

  it.runIf(has("fish"))("fish answers complete -C from the script", () => {
    const ask = (line: string) =>
      execFileSync("fish", ["--no-config", "-c", `source ${JSON.stringify(scripts["fish"])}; complete -C ${JSON.stringify(line)}`], {
        cwd: dir,
        encoding: "utf8",
        env: shellEnv(),
      })
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t")[0]);
    expect(ask("ai-blame bl")).toEqual(["blame"]);
    expect(ask("ai-blame blame --li")).toEqual(["--lines"]);
    expect(ask("ai-blame completions ")).toEqual(["bash", "fish", "zsh"]);
    expect(ask("ai-blame stats --skip-c")).toEqual(["--skip-claude", "--skip-codex"]);
    expect(ask("ai-blame transcript ")).toEqual(["list", "search", "view"]);
  });

  it("completes transcript view's SESSION with the project's session ids in bash, fish and zsh", async () => {
    const p = makeProject();
    const session = new ClaudeSession(p.project).prompt("write it").write(p.path("a.py"), "x = 1\n");
    session.save(p.home);
    // The scripts run `ai-blame __sessions`: put an ai-blame on PATH that is the built CLI.
    const bin = tempDir("ai-blame-bin-");
    writeFileSync(join(bin, "ai-blame"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: p.home, AI_BLAME_DATA_DIR: p.data };
    expect((await p.run(["__sessions"])).stdout).toBe(`${session.sessionId}\n`);
    const script = [
      `source ${JSON.stringify(scripts["bash"])}`,
      `COMP_WORDS=(ai-blame transcript view ${session.sessionId.slice(0, 4)})`,
      `COMP_CWORD=3`,
      `_ai_blame`,
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
    ].join("\n");
    expect(execFileSync("bash", ["--norc", "--noprofile", "-c", script], { cwd: p.project, encoding: "utf8", env })).toBe(`${session.sessionId}\n`);
    if (has("fish")) {
      const fish = execFileSync("fish", ["--no-config", "-c", `source ${JSON.stringify(scripts["fish"])}; complete -C 'ai-blame transcript view '`], {
        cwd: p.project,
        encoding: "utf8",
        env: { ...env, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_DATA_HOME: join(dir, "data") },
      });
      expect(fish.split("\n").map((l) => l.split("\t")[0])).toContain(session.sessionId);
    }
    expect(readFileSync(scripts["zsh"] ?? "", "utf8")).toContain(`'1:SESSION:{compadd -- \${(f)"$(ai-blame __sessions 2>/dev/null)"}}'`);
  });

  it.runIf(has("zsh"))("zsh parses the script and registers it for ai-blame", () => {
    expect(spawnSync("zsh", ["-n", scripts["zsh"] ?? ""]).status).toBe(0);
    const out = execFileSync(
      "zsh",
      ["-f", "-c", `autoload -Uz compinit && compinit -u -D && source ${JSON.stringify(scripts["zsh"])} && print -r -- $_comps[ai-blame] && whence -w _ai_blame_blame _ai_blame_transcript_list`],
      { cwd: dir, encoding: "utf8", env: shellEnv() },
    );
    expect(out.split("\n")).toEqual(["_ai_blame", "_ai_blame_blame: function", "_ai_blame_transcript_list: function", ""]);
  });
});
