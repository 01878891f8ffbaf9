// The README's command-line sections are checked against the real `--help` of the built CLI, so the docs cannot
// describe flags the code does not have or miss flags it has: every flag of a documented command appears in its
// section or in the shared-flags table, and every flag a section names exists. Only what the README says counts:
// prose, tables and command lines (`$ ai-blame …`, checked against the command they run); printed output does not.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandNames, repoRoot, runCli } from "./support/run-cli";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const sections = readme.split(/^(?=#{2,4} )/m);

/** Sections headed "### `ai-blame <command words> …`", with the command path read from the heading. */
function commandSections(): Array<{ path: string[]; text: string }> {
  return sections.flatMap((text) => {
    const m = /^### `ai-blame ([^`]+)`/.exec(text);
    if (!m) return [];
    const words = (m[1] ?? "").split(" ");
    const path: string[] = [];
    for (const w of words) {
      if (!/^[a-z][a-z-]*$/.test(w)) break;
      path.push(w);
    }
    return [{ path, text }];
  });
}

interface SectionDocs {
  /** Prose and tables: everything outside code blocks. */
  prose: string;
  /** Commands typed in code blocks, from `ai-blame` to the end of the command (pipes, redirections, comments cut). */
  commands: string[];
}

/**
 * Splits a section into what it says and what it runs. In a code block, a `$ ` line is a command and the lines
 * after it are its output; in a `sh` block every line is a command. Commands that do not run ai-blame are dropped.
 */
function sectionDocs(text: string): SectionDocs {
  const prose: string[] = [];
  const commands: string[] = [];
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const marker = /^(`{3,})(\w*)/.exec(line);
    if (marker) {
      fence = fence === null ? (marker[2] ?? "") : null;
      continue;
    }
    if (fence === null) {
      prose.push(line);
      continue;
    }
    const typed = line.startsWith("$ ") ? line.slice(2) : fence === "sh" || fence === "bash" ? line : null;
    const at = typed?.search(/(?<![\w./-])ai-blame /) ?? -1;
    if (typed != null && at >= 0) commands.push(typed.slice(at).split(/\s[|>#;)]|\s&&|\)/)[0]?.trim() ?? "");
  }
  return { prose: prose.join("\n"), commands };
}

function longFlags(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))];
}

const helps = new Map<string, Promise<string>>();

/** `--help` of a command path (cached per path). */
function helpOf(path: string[]): Promise<string> {
  const key = path.join(" ");
  let help = helps.get(key);
  if (!help) {
    help = runCli([...path, "--help"]).then((r) => r.stdout);
    helps.set(key, help);
  }
  return help;
}

/** The command path a typed `ai-blame …` line runs: words taken while each names a subcommand of the one before. */
async function commandPath(command: string): Promise<string[]> {
  const path: string[] = [];
  for (const word of command.split(/\s+/).slice(1)) {
    if (!commandNames(await helpOf(path)).includes(word)) break;
    path.push(word);
  }
  return path;
}

/** Commands that must have a README section. */
const required = ["stats", "timeline", "blame", "completions", "lsp"];

describe("README command-line sections", () => {
  it("exist for the core commands, each named command existing", async () => {
    const names = commandNames((await runCli(["--help"])).stdout);
    const documented = commandSections().map((s) => s.path[0]);
    for (const name of required) {
      expect(names).toContain(name);
      expect(documented, `README section for ai-blame ${name}`).toContain(name);
    }
    for (const name of documented) expect(names).toContain(name);
  });

  it("name every flag of their command and no flag it lacks", async () => {
    const shared = sectionDocs(sections.find((p) => p.startsWith("### Flags shared")) ?? "").prose;
    expect(shared).toContain("--home");
    for (const { path, text } of commandSections()) {
      const docs = sectionDocs(text);
      const help = await helpOf(path);
      const actual = longFlags(help.split(/^Options:$/m)[1] ?? "").filter((f) => f !== "--help");
      const said = `${docs.prose}\n${docs.commands.join("\n")}\n${shared}`;
      for (const flag of actual) expect(said, `ai-blame ${path.join(" ")} ${flag}`).toContain(flag);
      for (const flag of longFlags(docs.prose)) {
        expect(help, `README names ${flag} under ai-blame ${path.join(" ")}`).toContain(flag);
      }
    }
  });

  it("every ai-blame command line in the README uses flags its command has", async () => {
    const all = sectionDocs(readme).commands;
    expect(all.length).toBeGreaterThan(5);
    for (const command of all) {
      const path = await commandPath(command);
      const help = await helpOf(path);
      for (const flag of longFlags(command)) expect(help, `README runs: ${command}`).toContain(flag);
    }
  });

  it("reads commands and prose, never a command's printed output", () => {
    const docs = sectionDocs(
      [
        "### `ai-blame init`",
        "Writes a config; `--force` overwrites.",
        "```",
        "$ ai-blame init --flavor sidecar | head -3",
        "Next steps:",
        "  - Preview (no writes): ai-blame annotate --dry-run",
        "$ cat .ai-blame.yaml",
        "```",
        "```sh",
        'ai-blame completions zsh > "${fpath[1]}/_ai-blame"   # zsh',
        "```",
      ].join("\n"),
    );
    expect(docs.commands).toEqual(["ai-blame init --flavor sidecar", "ai-blame completions zsh"]);
    expect(longFlags(`${docs.prose}\n${docs.commands.join("\n")}`)).toEqual(["--force", "--flavor"]);
  });
});
