// `ai-blame annotate` through the built CLI on temp copies: every policy of the in-place template, a second run that
// changes no byte, a new edit that adds only its entry, a hostile trace naming paths outside the project (nothing
// written, refusals reported), an invalid YAML target and a read-only target (exit 1), and a dry run that writes nothing.

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

interface Sandbox {
  root: string;
  home: string;
  project: string;
  file(rel: string, text: string): string;
  read(rel: string): string;
  run(args: string[]): ReturnType<typeof runCli>;
}

/** A project two folders deep in a temp root, so `../../x` from it still lands inside the temp root. */
function sandbox(): Sandbox {
  const root = tempDir("ai-blame-annotate-");
  const home = join(root, "home");
  const data = join(root, "data");
  const project = join(root, "a", "b", "project");
  for (const d of [home, data, project]) mkdirSync(d, { recursive: true });
  return {
    root,
    home,
    project,
    file(rel, text) {
      const abs = join(project, rel);
      mkdirSync(join(abs, ".."), { recursive: true });
      writeFileSync(abs, text);
      return abs;
    },
    read: (rel) => readFileSync(join(project, rel), "utf8"),
    run: (args) => runCli(args, { cwd: project, env: { HOME: home, AI_BLAME_DATA_DIR: data } }),
  };
}

/** Every file under `dir` with its mode and content, for byte-exact before/after comparisons. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, "utf8")}`;
    }
  };
  walk(dir);
  return out;
}

const IN_PLACE = `defaults:
  policy: sidecar
rules:
  - pattern: "tests/**"
    policy: skip
  - pattern: "*.yaml"
    policy: append
  - pattern: "*.json"
    policy: append
    format: json
  - pattern: "*.py"
    policy: comment
    comment_syntax: hash
  - pattern: "*.md"
    policy: comment
    comment_syntax: html
  - pattern: "*.ts"
    policy: comment
    comment_syntax: slash
`;

/** One session creating a file per policy (and a test file the config skips). */
function policyProject(): Sandbox {
  const s = sandbox();
  s.file(".ai-blame.yaml", IN_PLACE);
  const files: Record<string, string> = {
    "config.yaml": "# service settings\nname: demo\nport: 8080\n",
    "data.json": '{\n    "name": "demo",\n    "items": [1, 2]\n}\n',
    "src/app.py": "def main():\n    print('hi')\n",
    "README.md": "# Demo\n\nA demo.\n",
    "src/index.ts": "export const answer = 42;\n",
    "notes.txt": "plain notes\n",
    "tests/test_app.py": "def test_main():\n    assert True\n",
  };
  const session = new ClaudeSession(s.project, { start: "2025-12-28T15:20:00.000Z" }).prompt("Scaffold the demo project.");
  for (const [rel, text] of Object.entries(files)) {
    session.write(join(s.project, rel), text);
    s.file(rel, text);
  }
  session.save(s.home);
  return s;
}

describe("annotate", () => {
  it("applies every policy, then a second run changes no byte", async () => {
    const s = policyProject();
    const first = await s.run(["annotate"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `Using config: "${join(s.project, ".ai-blame.yaml")}"\n\nApplying changes...\n` +
        `  Updated: "README.md"\n  Updated: "config.yaml"\n  Updated: "data.json"\n` +
        `  Wrote sidecar: "notes.history.yaml"\n  Updated: "src/app.py"\n  Updated: "src/index.ts"\n` +
        `  Skipped (policy=skip): tests/test_app.py\n\n6 changed, 0 unchanged, 1 skipped\n`,
    );
    expect(s.read("config.yaml")).toMatch(
      /^# service settings\nname: demo\nport: 8080\n\nedit_history:\n- timestamp: 2025-12-28T15:20:\d\dZ\n {2}model: claude-opus-4-5-20251101\n {2}action: CREATED\n {2}agent_tool: claude-code\n {2}agent_version: 2\.0\.75\n$/,
    );
    expect(s.read("data.json")).toMatch(/^\{\n {4}"name": "demo",\n {4}"items": \[1, 2\],\n {4}"edit_history": \[\n {8}\{\n {12}"timestamp": "2025-12-28T15:20:\d\dZ",\n/);
    expect(s.read("src/app.py")).toMatch(/^def main\(\):\n {4}print\('hi'\)\n\n# --- edit_history ---\n# - timestamp: .*\n(# .*\n)+# --- end edit_history ---\n$/);
    expect(s.read("README.md")).toMatch(/\n\n<!-- edit_history\n- timestamp: [^\n]+\n(.*\n)+-->\n$/);
    expect(s.read("src/index.ts")).toMatch(/\n\n\/\/ --- edit_history ---\n\/\/ - timestamp: /);
    expect(s.read("notes.history.yaml")).toMatch(/^source_file: notes\.txt\nedit_history:\n- timestamp: /);
    expect(s.read("tests/test_app.py")).toBe("def test_main():\n    assert True\n");

    const before = snapshotTree(s.project);
    const second = await s.run(["annotate"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("\n0 changed, 6 unchanged, 1 skipped\n");
    expect(snapshotTree(s.project)).toEqual(before);
  });

  it("a new edit adds only its entry", async () => {
    const s = sandbox();
    const path = s.file("settings.yaml", "a: 1\n");
    new ClaudeSession(s.project, { start: "2025-12-28T15:20:00.000Z" }).prompt("create").write(path, "a: 1\n").save(s.home);
    expect((await s.run(["annotate"])).code).toBe(0);
    const once = s.read("settings.yaml");
    const annotated = once;
    // The agent edits the (annotated) file again in a later session.
    const after = annotated.replace("a: 1\n", "a: 2\n");
    new ClaudeSession(s.project, { start: "2025-12-29T10:00:00.000Z", model: "claude-sonnet-4-5-20250929" })
      .prompt("bump a")
      .edit(path, annotated, "a: 1\n", "a: 2\n")
      .save(s.home);
    s.file("settings.yaml", after);
    const r = await s.run(["annotate"]);
    expect(r.stdout).toContain('  Updated: "settings.yaml"');
    const twice = s.read("settings.yaml");
    expect(twice.startsWith(after.replace(/\n$/, ""))).toBe(true);
    expect(twice.slice(after.length)).toMatch(/^- timestamp: 2025-12-29T10:00:\d\dZ\n {2}model: claude-sonnet-4-5-20250929\n {2}action: EDITED\n/);
  });

  it("leaves a hostile trace's paths outside the project out (counted by stats) and writes nothing there", async () => {
    const s = sandbox();
    const outside = join(s.root, "a", "outside.txt");
    writeFileSync(outside, "keep me\n");
    const hostname = existsSync("/etc/hostname") ? readFileSync("/etc/hostname", "utf8") : null;
    s.file("ok.yaml", "k: v\n");
    new ClaudeSession(s.project, { start: "2025-12-28T15:20:00.000Z" })
      .prompt("do things")
      .write("../../outside.txt", "pwned\n", "keep me\n")
      .edit("/etc/hostname", hostname ?? "host\n", (hostname ?? "host\n").slice(0, 1), "X")
      .write(join(s.project, "ok.yaml"), "k: v\n")
      .save(s.home);
    const beforeRoot = snapshotTree(join(s.root, "a"));
    const r = await s.run(["annotate"]);
    expect(r.code).toBe(0);
    // Edits outside the project are not the project's: annotate never sees them (its own refusal of such paths
    // stays as a second guard), and stats counts them so they do not vanish silently.
    expect(r.stdout).not.toContain("Refused");
    expect(r.stdout).toContain('  Updated: "ok.yaml"\n');
    expect(r.stdout).toContain("1 changed, 0 unchanged, 0 skipped");
    const stats = JSON.parse((await s.run(["stats", "--json"])).stdout) as { events: number; outsideProject: number };
    expect([stats.events, stats.outsideProject]).toEqual([1, 2]);
    expect(readFileSync(outside, "utf8")).toBe("keep me\n");
    if (hostname !== null) expect(readFileSync("/etc/hostname", "utf8")).toBe(hostname);
    const afterRoot = snapshotTree(join(s.root, "a"));
    const changed = Object.keys(afterRoot).filter((k) => afterRoot[k] !== beforeRoot[k]);
    expect(changed).toEqual(["b/project/ok.yaml"]);
  });

  it("leaves an invalid YAML target untouched with a warning, and reports a read-only target", async () => {
    const s = sandbox();
    const broken = s.file("broken.yaml", "items: [1, 2\nname: x\n");
    const locked = s.file("locked.yaml", "a: 1\n");
    chmodSync(locked, 0o444);
    new ClaudeSession(s.project, { start: "2025-12-28T15:20:00.000Z" })
      .prompt("make files")
      .write(broken, "items: [1, 2\nname: x\n")
      .write(locked, "a: 1\n")
      .save(s.home);
    const r = await s.run(["annotate"]);
    // The summary counts the failures and the exit code says that not every file got its history.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ai-blame: error: 2 files could not be annotated (see above)\n");
    expect(r.stdout).toMatch(/\n {2}Warning: broken\.yaml: invalid YAML at line \d+: .+; left untouched\n/);
    expect(r.stdout).toContain("\n  Failed (read-only): locked.yaml is read-only\n");
    expect(r.stdout).toContain("\n0 changed, 0 unchanged, 0 skipped, 2 failed\n");
    expect(s.read("broken.yaml")).toBe("items: [1, 2\nname: x\n");
    expect(s.read("locked.yaml")).toBe("a: 1\n");
    expect(statSync(locked).mode & 0o777).toBe(0o444);
  });

  it("--dry-run writes nothing and prints a unified diff per file", async () => {
    const s = policyProject();
    const before = snapshotTree(s.project);
    const r = await s.run(["annotate", "--dry-run", "src/"]);
    expect(r.code).toBe(0);
    expect(snapshotTree(s.project)).toEqual(before);
    expect(r.stdout).toContain("\n[DRY RUN] No files will be modified.\n");
    expect(r.stdout).toContain(
      '  Would update: "src/app.py"\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1,2 +1,10 @@\n def main():\n     print(\'hi\')\n+\n+# --- edit_history ---\n',
    );
    expect(r.stdout).toContain('  Would update: "src/index.ts"\n--- a/src/index.ts\n');
    expect(r.stdout).not.toContain("config.yaml");
    expect(r.stdout).toContain("\n2 would change, 0 unchanged, 0 skipped\n");
  });

  it("a file edited by hand since keeps only the edits that still own a line, plus its creation", async () => {
    const s = sandbox();
    const path = s.file("app.yaml", "x");
    const v1 = "name: app\nmode: dev\nport: 1\n";
    const v2 = v1.replace("port: 1", "port: 2");
    const v3 = v2.replace("port: 2", "port: 3");
    new ClaudeSession(s.project, { start: "2025-12-28T15:20:00.000Z" })
      .prompt("create and tune")
      .write(path, v1)
      .edit(path, v1, "port: 1", "port: 2")
      .edit(path, v2, "port: 2", "port: 3")
      .save(s.home);
    s.file("app.yaml", v3);
    await s.run(["annotate", "--dry-run"]).then((r) => expect(r.stdout.match(/\+- timestamp/g)?.length).toBe(3));
    s.file("app.yaml", `${v3}owner: human\n`);
    const r = await s.run(["annotate"]);
    expect(r.code).toBe(0);
    const history = s.read("app.yaml").split("edit_history:\n")[1] ?? "";
    expect(history.match(/action: (\w+)/g)).toEqual(["action: CREATED", "action: EDITED"]);
  });
});
