// `ai-blame init` through the built CLI: writes only .ai-blame.yaml (sidecar or in-place flavor), refuses to
// overwrite without --force, rejects a bad flavor as a usage error, and the written config drives `report`.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

describe("init", () => {
  it("writes the sidecar template and nothing else", async () => {
    const p = makeProject();
    const r = await p.run(["init"]);
    const path = p.path(".ai-blame.yaml");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(
      `Wrote "${path}"\n\nNext steps:\n  - Preview (no writes): ai-blame annotate --dry-run\n  - Apply (writes files): ai-blame annotate\n`,
    );
    expect(readdirSync(p.project)).toEqual([".ai-blame.yaml"]);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^# ai-blame annotation config\.\n/);
    expect(text).toContain('\ndefaults:\n  policy: sidecar\n  sidecar_pattern: "{stem}.history.yaml"\n\nrules:\n  - pattern: "tests/**"\n    policy: skip\n');
  });

  it("refuses to overwrite without --force; --force and --dir write the in-place flavor there", async () => {
    const p = makeProject();
    writeFileSync(p.path(".ai-blame.yaml"), "# mine\n");
    const again = await p.run(["init"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`ai-blame: error: config already exists at ${p.path(".ai-blame.yaml")} (use --force to overwrite)\n`);
    expect(readFileSync(p.path(".ai-blame.yaml"), "utf8")).toBe("# mine\n");
    const sub = p.file("pkg/README", "r\n");
    const forced = await p.run(["init", "--flavor", "in-place", "--force", "--dir", join(sub, "..")]);
    expect(forced.code).toBe(0);
    const text = readFileSync(p.path("pkg/.ai-blame.yaml"), "utf8");
    expect(text.indexOf('pattern: "tests/**"')).toBeLessThan(text.indexOf('pattern: "*.py"'));
    expect(text).toContain('  - pattern: "*.md"\n    policy: comment\n    comment_syntax: html\n');
  });

  it("a bad flavor is a usage error; a missing directory a runtime error", async () => {
    const p = makeProject();
    const bad = await p.run(["init", "--flavor", "inline"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ai-blame: error: option '--flavor <flavor>' argument 'inline' is invalid/);
    const missing = await p.run(["init", "--dir", "nowhere"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`ai-blame: error: directory not found: ${p.path("nowhere")}\n`);
  });

  it("the in-place config drives report: tests are skipped, Python gets a comment block", async () => {
    const p = makeProject();
    await p.run(["init", "--flavor", "in-place"]);
    const t = p.file("tests/test_a.py", "def test(): pass\n");
    const a = p.file("src/a.py", "x = 1\n");
    new ClaudeSession(p.project).prompt("add").write(t, "def test(): pass\n").write(a, "x = 1\n").save(p.home);
    const r = await p.run(["report"]);
    expect(r.stdout).toContain("src/a.py                                           | comment    | in-place\n");
    expect(r.stdout).toContain("tests/test_a.py                                    | skip       | (skipped)\n");
  });
});
