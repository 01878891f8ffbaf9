// Exit codes and error lines of the built CLI: 0 for success, help and version; 2 for every usage error (commander's
// own and ours); 1 for runtime errors. Every error is one `ai-blame: error:` line on stderr, never a stack trace.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { commandNames, repoRoot, runCli } from "./support/run-cli";

const version = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version as string;

function expectOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^ai-blame: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("exit codes", () => {
  it("--version prints the version and exits 0", async () => {
    const r = await runCli(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `ai-blame ${version}\n`, stderr: "" });
    expect((await runCli(["-V"])).stdout).toBe(`ai-blame ${version}\n`);
    // Alone it is answered before the command tree is built; beside another flag, by commander, the same.
    expect(await runCli(["--no-pager", "--version"])).toMatchObject({ code: 0, stdout: `ai-blame ${version}\n`, stderr: "" });
  });

  it("--help exits 0 with usage on stdout; no command prints help to stderr and exits 2", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ai-blame \[options\] \[command\]/);
    for (const name of ["stats", "timeline", "blame", "completions", "lsp"]) expect(help.stdout).toContain(`  ${name}`);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^Usage: ai-blame/);
  });

  it("--help works on every command", async () => {
    const top = await runCli(["--help"]);
    const names = commandNames(top.stdout);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const r = await runCli([name, "--help"]);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: ai-blame ${name}\\b`));
      // `NAME --help` builds only NAME's command; `help NAME` builds every command: the text must not differ.
      const viaHelp = await runCli(["help", name]);
      expect(viaHelp.code, name).toBe(0);
      expect(r.stdout, name).toBe(viaHelp.stdout);
    }
  });

  it("commander's usage errors exit 2 with one line", async () => {
    const unknownCommand = await runCli(["frobnicate"]);
    expect(unknownCommand.code).toBe(2);
    expectOneErrorLine(unknownCommand.stderr, /unknown command 'frobnicate'/);
    const unknownOption = await runCli(["stats", "--frobnicate"]);
    expect(unknownOption.code).toBe(2);
    expectOneErrorLine(unknownOption.stderr, /unknown option '--frobnicate'/);
    const missingArg = await runCli(["blame"]);
    expect(missingArg.code).toBe(2);
    expectOneErrorLine(missingArg.stderr, /missing required argument 'FILE'/);
    const badShell = await runCli(["completions", "tcsh"]);
    expect(badShell.code).toBe(2);
    expectOneErrorLine(badShell.stderr, /value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish/);
  });

  it("bad flag values exit 2 before any trace is read", async () => {
    const p = makeProject();
    p.file("a.txt", "one\n");
    const cases: Array<[string[], RegExp]> = [
      [["blame", "a.txt", "--lines", "20-10"], /--lines <N-M>.*'20-10' is invalid. expected N-M/],
      [["blame", "a.txt", "--lines", "5"], /expected N-M/],
      [["blame", "a.txt", "--columns", "MXT"], /invalid column specifier 'X'; allowed: S,A,M,T,G,L,C/],
      [["blame", "a.txt", "--agent-alias", "claude-code"], /expected FROM=TO/],
      [["blame", "a.txt", "--model-alias", "=x"], /alias parts cannot be empty/],
      [["blame", "a.txt", "--json", "--porcelain"], /'--json' cannot be used with option '--porcelain'/],
      [["timeline", "-n", "ten"], /'ten' is invalid\. expected a whole number \(0 = all\)$/],
      [["transcript", "list", "-n", "-1"], /'-1' is invalid\. expected a whole number \(0 = all\)$/],
      [["report", "-m", "abc"], /'abc' is invalid\. expected a whole number of characters \(0 = keep every edit\)$/],
      [["annotate", "--min-change-size", "1.5"], /'1\.5' is invalid\. expected a whole number of characters \(0 = keep every edit\)$/],
      [["timeline", "--since", "someday"], /expected a date/],
      [["stats", "--since", "2025-12-02", "--until", "2025-12-01"], /--since 2025-12-02 is after --until 2025-12-01/],
    ];
    for (const [args, pattern] of cases) {
      const r = await p.run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout, args.join(" ")).toBe("");
      expectOneErrorLine(r.stderr, pattern);
    }
  });

  it("runtime errors exit 1 with one line", async () => {
    const p = makeProject();
    p.file("image.bin", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const cases: Array<[string[], RegExp]> = [
      [["blame", "missing.py"], /^ai-blame: error: file not found: missing\.py$/],
      [["blame", "image.bin"], /^ai-blame: error: image\.bin is a binary file$/],
      [["blame", "."], /is a directory/],
      [["stats", "--dir", "no-such-dir"], /project directory not found: .*no-such-dir/],
      [["timeline", "--trace-dir", "no-such-traces"], /trace directory not found: .*no-such-traces/],
    ];
    for (const [args, pattern] of cases) {
      const r = await p.run(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout, args.join(" ")).toBe("");
      expectOneErrorLine(r.stderr, pattern);
    }
  });
});
