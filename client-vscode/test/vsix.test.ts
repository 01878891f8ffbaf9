// Builds the real .vsix with `npm run package:vscode` and checks what is inside: the manifest, the two bundles,
// the icon and README, nothing else (no sources, tests, maps or node_modules), and a size within budget.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const vsix = join(root, `ai-blame-${version}.vsix`);

function zipEntries(file: string): string[] {
  const script = "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))";
  return execFileSync("python3", ["-c", script, file], { encoding: "utf8" }).trim().split("\n");
}

function zipRead(file: string, entry: string): string {
  const script = "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())";
  return execFileSync("python3", ["-c", script, file, entry], { encoding: "utf8" });
}

describe("the .vsix package", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "--silent", "package:vscode"], { cwd: root, stdio: "pipe", timeout: 120_000 });
  });

  it("exists and is at most 2 MB", () => {
    expect(existsSync(vsix)).toBe(true);
    expect(statSync(vsix).size).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it("carries the extension's own README and CHANGELOG, not the command line tool's", () => {
    const readme = zipRead(vsix, "extension/readme.md");
    expect(readme.startsWith("# AI Blame for VS Code")).toBe(true);
    expect(readme).toContain("## Privacy");
    expect(zipRead(vsix, "extension/changelog.md").startsWith("# Changelog of the AI Blame VS Code extension")).toBe(true);
  });

  it("holds exactly the manifest, both bundles, the icon, README, CHANGELOG and LICENSE", () => {
    const entries = zipEntries(vsix).sort();
    expect(entries).toEqual(
      [
        "[Content_Types].xml",
        "extension.vsixmanifest",
        "extension/LICENSE.txt",
        "extension/client-vscode/dist/extension.js",
        "extension/client-vscode/dist/server.js",
        "extension/images/icon.png",
        "extension/package.json",
        "extension/readme.md",
        "extension/changelog.md",
      ].sort(),
    );
  });

  it("ships a manifest whose main points at the bundled client and declares the commands", () => {
    const manifest = JSON.parse(zipRead(vsix, "extension/package.json")) as {
      main: string;
      engines: { vscode: string };
      activationEvents: string[];
      contributes: { commands: { command: string }[] };
    };
    expect(manifest.main).toBe("./client-vscode/dist/extension.js");
    expect(manifest.engines.vscode).toBe("^1.91.0");
    expect(manifest.activationEvents).toContain("onStartupFinished");
    expect(manifest.contributes.commands.map((c) => c.command)).toContain("aiBlame.showTranscriptForLine");
  });

  it("bundles the client without the engine beyond the contract, and the server as one file", () => {
    const client = zipRead(vsix, "extension/client-vscode/dist/extension.js");
    expect(client).not.toMatch(/ClaudeTraceParser|attributeFile/);
    const server = zipRead(vsix, "extension/client-vscode/dist/server.js");
    expect(server.length).toBeGreaterThan(10_000);
    expect(server).not.toMatch(/require\(["']vscode["']\)/);
  });
});
