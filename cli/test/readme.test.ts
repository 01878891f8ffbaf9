// The README's command-line sections are checked against the real `--help` of the built CLI, so the docs cannot
// describe flags the code does not have or miss flags it has: every flag of a documented command appears in its
// section or in the shared-flags table, and every flag a section names exists.

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

function longFlags(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))];
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
    const shared = sections.find((p) => p.startsWith("### Flags shared")) ?? "";
    expect(shared).not.toBe("");
    for (const { path, text } of commandSections()) {
      const help = (await runCli([...path, "--help"])).stdout;
      const actual = longFlags(help.split(/^Options:$/m)[1] ?? "").filter((f) => f !== "--help");
      for (const flag of actual) expect(`${text}\n${shared}`, `ai-blame ${path.join(" ")} ${flag}`).toContain(flag);
      for (const flag of longFlags(text)) {
        expect(help, `README names ${flag} under ai-blame ${path.join(" ")}`).toContain(flag);
      }
    }
  });
});
