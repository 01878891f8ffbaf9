// Nothing the user had is lost by `annotate` (the built CLI on real files): code holding both marker strings,
// lines appended while annotate runs, a YAML file reusing an anchor 150 times beside a real alias bomb, a UTF-8
// BOM, a file of another owner (run as root), a hard-linked file, temp files of an annotate that died, and exit 1
// whenever a file could not be annotated.

import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, linkSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { repoRoot } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

const IN_PLACE = `rules:
  - pattern: "*.yaml"
    policy: append
  - pattern: "*.json"
    policy: append
    format: json
  - pattern: "*.ts"
    policy: comment
    comment_syntax: slash
`;

/** A project whose files were all written by one Claude session with `files` as their content. */
function project(files: Record<string, string>): TestProject {
  const p = makeProject();
  p.file(".ai-blame.yaml", IN_PLACE);
  const session = new ClaudeSession(p.project).prompt("write the files");
  for (const [rel, text] of Object.entries(files)) {
    p.file(rel, text);
    session.write(p.path(rel), text);
  }
  session.save(p.home);
  return p;
}

describe("annotate loses nothing", () => {
  it("keeps every line of code holding both marker strings (a copy of comment-block.ts)", async () => {
    const source = readFileSync(join(repoRoot, "shared", "src", "annotate", "comment-block.ts"), "utf8");
    expect(source).toContain("--- end edit_history ---");
    const p = project({ "copy.ts": source });
    for (let run = 0; run < 2; run++) {
      const r = await p.run(["annotate"]);
      expect(r.code).toBe(0);
      const text = readFileSync(p.path("copy.ts"), "utf8");
      expect(text.startsWith(`${source}\n// --- edit_history ---\n`)).toBe(true);
      expect(text.split("\n").length).toBe(source.split("\n").length + 8);
    }
  });

  it("never drops lines appended while it runs: a file that changed is skipped and reported", async () => {
    // A large YAML file keeps the writer busy between its read and its rename; an appender adds a line every 100 ms.
    const big = Array.from({ length: 40_000 }, (_, i) => `key${i}: value ${i}`).join("\n") + "\n";
    const p = project({ "big.yaml": big });
    const appender = spawn(process.execPath, ["-e", `
      const fs = require("fs"); let n = 0;
      setInterval(() => fs.appendFileSync(${JSON.stringify(p.path("big.yaml"))}, "# appended " + n++ + "\\n"), 100);
    `]);
    let result: Awaited<ReturnType<TestProject["run"]>>;
    try {
      await new Promise((r) => setTimeout(r, 250));
      result = await p.run(["annotate"], { timeoutMs: 120_000 });
    } finally {
      appender.kill();
      await new Promise((r) => appender.once("exit", r));
    }
    const text = readFileSync(p.path("big.yaml"), "utf8");
    const appended = [...text.matchAll(/^# appended (\d+)$/gm)].map((m) => Number(m[1]));
    expect(appended.length).toBeGreaterThan(0);
    expect(appended).toEqual(appended.map((_, i) => i));
    expect(text.startsWith(big)).toBe(true);
    if (result.code === 1) {
      expect(result.stdout).toContain("  Failed: big.yaml changed during annotate; left as it is (run annotate again)\n");
      expect(result.stderr).toBe("ai-blame: error: 1 file could not be annotated (see above)\n");
    } else expect(text).toContain("\nedit_history:\n");
  }, 180_000);

  it("annotates a YAML file reusing an anchor 150 times; a real alias bomb is reported invalid and aborts nothing", async () => {
    const aliases = `base: &base {retries: 3}\njobs:\n${Array.from({ length: 150 }, (_, i) => `  job${i}: *base\n`).join("")}`;
    let bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++) bomb += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]\n`;
    const p = project({ "a-bomb.yaml": bomb, "b-aliases.yaml": aliases, "c-plain.yaml": "name: c\n" });
    const r = await p.run(["annotate"]);
    expect(r.stdout).toMatch(/\n {2}Warning: a-bomb\.yaml: cannot read the document: Excessive alias count.*; left untouched\n/);
    expect(r.stdout).toContain('  Updated: "b-aliases.yaml"\n  Updated: "c-plain.yaml"\n');
    expect(r.stdout).toContain("\n2 changed, 0 unchanged, 0 skipped, 1 failed\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ai-blame: error: 1 file could not be annotated (see above)\n");
    expect(readFileSync(p.path("a-bomb.yaml"), "utf8")).toBe(bomb);
    expect(readFileSync(p.path("b-aliases.yaml"), "utf8").startsWith(`${aliases}\nedit_history:\n`)).toBe(true);
  });

  it("keeps the UTF-8 BOM of YAML and JSON files", async () => {
    const p = project({ "bom.yaml": "\ufeffname: x\n", "bom.json": '\ufeff{\n  "name": "x"\n}\n' });
    expect((await p.run(["annotate"])).code).toBe(0);
    for (const f of ["bom.yaml", "bom.json"]) {
      const bytes = readFileSync(p.path(f));
      expect([...bytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, f.endsWith(".json") ? 0x7b : 0x6e]);
      expect(bytes.toString("utf8")).toContain("edit_history");
    }
  });

  it.skipIf(process.getuid?.() !== 0)("run as root, keeps the owner and group of a user's file", async () => {
    const p = project({ "owned.yaml": "name: x\n" });
    chownSync(p.path("owned.yaml"), 1234, 2345);
    expect((await p.run(["annotate"])).code).toBe(0);
    const st = statSync(p.path("owned.yaml"));
    expect([st.uid, st.gid]).toEqual([1234, 2345]);
    expect(readFileSync(p.path("owned.yaml"), "utf8")).toContain("edit_history");
  });

  it("refuses a file with other hard links, leaving both names one file", async () => {
    const p = project({ "linked.yaml": "name: x\n", "other.yaml": "name: y\n" });
    linkSync(p.path("linked.yaml"), join(p.root, "elsewhere.yaml"));
    const r = await p.run(["annotate"]);
    expect(r.stdout).toContain(
      "  Failed: linked.yaml has 2 hard links: annotate replaces files by renaming, which would split them; left untouched\n",
    );
    expect(r.stdout).toContain('  Updated: "other.yaml"\n');
    expect(r.code).toBe(1);
    expect(statSync(p.path("linked.yaml")).ino).toBe(statSync(join(p.root, "elsewhere.yaml")).ino);
    expect(readFileSync(p.path("linked.yaml"), "utf8")).toBe("name: x\n");
  });

  it("removes the temp files an annotate that died left beside a file, and only those", async () => {
    const p = project({ "conf.yaml": "name: x\n" });
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const stale = `.conf.yaml.${dead}.0badf00d.tmp`;
    const live = `.conf.yaml.${process.pid}.0badf00d.tmp`;
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const [name, text] of [[stale, "half"], [live, "someone else's, still running"], ["notes.tmp", "the user's"]] as const) {
      writeFileSync(p.path(name), text);
      utimesSync(p.path(name), hourAgo, hourAgo);
    }
    expect((await p.run(["annotate"])).code).toBe(0);
    expect(existsSync(p.path(stale))).toBe(false);
    expect(existsSync(p.path(live))).toBe(true);
    expect(readdirSync(p.project).sort()).toEqual([".ai-blame.yaml", live, "conf.yaml", "notes.tmp"].sort());
  });
});
