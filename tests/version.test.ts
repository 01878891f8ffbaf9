// The version is set in one place, the root package.json, and continues the Rust tool's series (0.5.x on PyPI), so a
// release is not refused as a downgrade. It flows into the built CLI (`--version`), the language server's
// `serverInfo`, the extension (the root package.json is its manifest), the wheels (python-dist/build.py reads it) and
// the npm package (stamped into cli/package.json at release); no other tracked file spells it out, except the
// documents that tell its history.

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = join(__dirname, "..");

const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  version: string;
  scripts: Record<string, string>;
};
const version = rootPackage.version;

/** Documents that may name versions (release history, migration notes, the install section). */
const HISTORY = new Set(["package.json", "package-lock.json", "CHANGELOG.md", "client-vscode/CHANGELOG.md", "MIGRATION.md", "README.md"]);

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" }).split("\0").filter(Boolean);
}

describe("one version", () => {
  it("is a release version after the Rust tool's 0.5.3", () => {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
    expect(m).not.toBeNull();
    const [major, minor] = [Number(m?.[1]), Number(m?.[2])];
    expect(major > 0 || minor >= 6).toBe(true);
  });

  it("is what the built CLI prints for --version", () => {
    const printed = execFileSync(process.execPath, [join(repoRoot, "cli", "dist", "ai-blame.js"), "--version"], { encoding: "utf8" });
    expect(printed).toBe(`ai-blame ${version}\n`);
  });

  it("is spelled out in no tracked file other than package.json and the history documents", () => {
    const literal = new RegExp(`(?<![\\d.])${version.replace(/\./g, "\\.")}(?![\\d])`);
    const offenders = trackedFiles().filter((file) => {
      if (HISTORY.has(file) || /\.(png|jpg|zst|gz)$/.test(file)) return false;
      let text: string;
      try {
        text = readFileSync(join(repoRoot, file), "utf8");
      } catch {
        return false;
      }
      return literal.test(text);
    });
    expect(offenders).toEqual([]);
    // The .vsix is named by vsce from the manifest's name and version, not by the script.
    expect(rootPackage.scripts["package:vscode"]).not.toMatch(/\d+\.\d+\.\d+/);
  });

  it("goes into the wheels' metadata", () => {
    const script = [
      "import json, sys",
      `sys.path.insert(0, ${JSON.stringify(join(repoRoot, "python-dist"))})`,
      "import build",
      `print(build.make_metadata(json.load(open(${JSON.stringify(join(repoRoot, "package.json"))}))).version)`,
    ].join("\n");
    expect(execFileSync("python3", ["-c", script], { encoding: "utf8" }).trim()).toBe(version);
  });

  it("is stamped into the npm package at release, whose checked-in version is a placeholder", () => {
    const cliPackage = JSON.parse(readFileSync(join(repoRoot, "cli", "package.json"), "utf8")) as { version: string };
    expect(cliPackage.version).toBe("0.0.0");
    const copy = mkdtempSync(join(tmpdir(), "ai-blame-stamp-"));
    mkdirSync(join(copy, "cli"));
    cpSync(join(repoRoot, "package.json"), join(copy, "package.json"));
    cpSync(join(repoRoot, "cli", "package.json"), join(copy, "cli", "package.json"));
    const printed = execFileSync("node", [join(repoRoot, "scripts", "stamp-npm-version.mjs"), copy], { encoding: "utf8" });
    expect(printed).toBe(`${version}\n`);
    const stamped = JSON.parse(readFileSync(join(copy, "cli", "package.json"), "utf8")) as Record<string, unknown>;
    expect(stamped["version"]).toBe(version);
    expect(stamped["name"]).toBe("ai-blame");
    expect(stamped["bin"]).toEqual({ "ai-blame": "dist/ai-blame.js" });
  });
});
