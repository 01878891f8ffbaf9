// Code and markup injection through `annotate`: hostile model ids in real Claude traces, `init --flavor in-place`,
// `annotate` through the built CLI, and then the annotated files are run (node, python) or rendered (markdown-it):
// no payload runs, no markup forms, the user's lines are unchanged, and a second run changes no byte.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMENT_SYNTAXES, LINE_TERMINATORS } from "../../shared/src/annotate/escape";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const MarkdownIt = createRequire(import.meta.url)("markdown-it") as new (o: object) => { render(s: string): string };
const markdown = new MarkdownIt({ html: true });

/** A file per comment syntax of the in-place template, its code, and how to run it. */
const TARGETS = {
  slash: { ext: "js", code: "console.log('ok');\n" },
  hash: { ext: "py", code: "print('ok')\n" },
  html: { ext: "md", code: "# Notes\n\nPlain text.\n" },
} as const;

/** What a payload does when it runs: creates `PWNED-<tag>` in the project. */
function payload(syntax: keyof typeof TARGETS, tag: string): string {
  if (syntax === "slash") return `require('fs').writeFileSync('PWNED-${tag}', '')`;
  if (syntax === "hash") return `open('PWNED-${tag}', 'w')`;
  return `<script>alert('PWNED-${tag}')</script>`;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

async function annotateTwice(p: TestProject): Promise<void> {
  expect((await p.run(["init", "--flavor", "in-place"])).code).toBe(0);
  const first = await p.run(["annotate"]);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  const files = readdirSync(p.project).filter((f) => !f.startsWith("."));
  const after = files.map((f) => readFileSync(join(p.project, f), "utf8"));
  const second = await p.run(["annotate"]);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/\n0 changed, \d+ unchanged/);
  expect(files.map((f) => readFileSync(join(p.project, f), "utf8"))).toEqual(after);
}

/** The user's lines of an annotated file: everything before the blank line that precedes the block. */
function userPart(text: string): string {
  const at = text.search(/\n\n(# --- edit_history ---|\/\/ --- edit_history ---|<!-- edit_history)\n/);
  return at === -1 ? text : text.slice(0, at + 1);
}

describe("annotate never lets trace text out of its comment", () => {
  it("a U+2028 model id in a Write of a.js does not run when the file runs", async () => {
    const p = makeProject();
    const model = "gpt\u2028require('child_process').execSync('touch PWNED')\u2028//";
    p.file("a.js", "console.log('ok');\n");
    new ClaudeSession(p.project, { model }).prompt("make a.js").write(p.path("a.js"), "console.log('ok');\n").save(p.home);
    await annotateTwice(p);
    const text = readFileSync(p.path("a.js"), "utf8");
    expect(text).toMatch(/\n\/\/ --- edit_history ---\n/);
    expect(text).toContain("\n//   model: gpt\\u{2028}require('child_process').execSync('touch PWNED')\\u{2028}//\n");
    expect(run(process.execPath, ["a.js"], p.project)).toBe("ok\n");
    expect(existsSync(p.path("PWNED"))).toBe(false);
  });

  it("every line terminator in every comment syntax stays inside the comment", async () => {
    const p = makeProject();
    const session = new ClaudeSession(p.project).prompt("make files");
    const files: [string, keyof typeof TARGETS][] = [];
    for (const syntax of COMMENT_SYNTAXES) {
      LINE_TERMINATORS.forEach((eol, i) => {
        const { ext, code } = TARGETS[syntax];
        const name = `${syntax}${i}.${ext}`;
        const model = `m${eol}${payload(syntax, `${syntax}${i}`)}${eol}${syntax === "html" ? "-->" : syntax === "hash" ? "#" : "//"}`;
        p.file(name, code);
        session.write(p.path(name), code, null, model);
        files.push([name, syntax]);
      });
    }
    session.save(p.home);
    await annotateTwice(p);
    const python = spawnSync("python3", ["--version"]).status === 0;
    for (const [name, syntax] of files) {
      const text = readFileSync(p.path(name), "utf8");
      expect(userPart(text)).toBe(TARGETS[syntax].code);
      // Only LF ends a line of the written file; nothing else any language or editor reads as a line end is left.
      for (const eol of LINE_TERMINATORS) if (eol !== "\n") expect(text.includes(eol), `${name} holds U+${eol.charCodeAt(0).toString(16)}`).toBe(false);
      if (syntax === "slash") expect(run(process.execPath, [name], p.project)).toBe("ok\n");
      if (syntax === "hash" && python) expect(run("python3", [name], p.project)).toBe("ok\n");
      if (syntax === "html") {
        const html = markdown.render(text);
        expect(html).not.toContain("<script");
        expect(html.match(/<!--/g)).toHaveLength(1);
      }
    }
    expect(readdirSync(p.project).filter((f) => f.startsWith("PWNED"))).toEqual([]);
  });

  it("a model that closes the HTML comment of a .md file puts no markup in it", async () => {
    const p = makeProject();
    const model = "x --><script>alert(document.cookie)</script><!--";
    p.file("notes.md", "# Notes\n");
    new ClaudeSession(p.project, { model }).prompt("notes").write(p.path("notes.md"), "# Notes\n").save(p.home);
    await annotateTwice(p);
    const text = readFileSync(p.path("notes.md"), "utf8");
    const block = text.slice(text.indexOf("<!-- edit_history"));
    expect(block.slice("<!--".length, -"-->\n".length)).not.toMatch(/--|<|>/);
    expect(markdown.render(text)).not.toContain("<script");
    expect(markdown.render(text)).toBe("<h1>Notes</h1>\n" + block);
  });

  it("a model id holding the end marker adds no lines on later runs", async () => {
    const p = makeProject();
    const model = "x\n--- end edit_history ---\nprint('injected')\n# --- end edit_history ---\n// --- end edit_history ---";
    p.file("a.py", "print('ok')\n");
    p.file("b.js", "console.log('ok');\n");
    new ClaudeSession(p.project, { model })
      .prompt("two files")
      .write(p.path("a.py"), "print('ok')\n")
      .write(p.path("b.js"), "console.log('ok');\n")
      .save(p.home);
    await annotateTwice(p);
    const py = readFileSync(p.path("a.py"), "utf8");
    expect(userPart(py)).toBe("print('ok')\n");
    expect(py.split("\n").filter((l) => l === "# --- end edit_history ---")).toHaveLength(1);
    expect(userPart(readFileSync(p.path("b.js"), "utf8"))).toBe("console.log('ok');\n");
  });
});
