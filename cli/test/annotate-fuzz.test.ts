// A seeded fuzz of `annotate` through the built CLI: random Claude sessions with hostile model ids and versions
// writing realistic and hostile files — every comment syntax, YAML, JSON, sidecars, names with line breaks, paths
// outside the project (`../..`, absolute, a symlink leading out) — then `init --flavor in-place` and two annotate
// runs. No stack trace, exit 0 or 1 with one line, nothing outside the project written, every annotated file reads
// back with the user's lines intact, and the second run changes nothing.

import { mkdirSync, readdirSync, readFileSync, lstatSync, symlinkSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { readCommentBlock } from "../../shared/src/annotate/comment-block";
import { LINE_TERMINATORS } from "../../shared/src/annotate/escape";
import { seededRandom } from "../../shared/test/support/random";
import { runCli, tempDir } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

// A longer campaign: AI_BLAME_FUZZ_SEEDS=1,2,3 npx vitest run cli/test/annotate-fuzz.test.ts
const SEEDS = (process.env["AI_BLAME_FUZZ_SEEDS"] ?? "11,12").split(",").map(Number);
const WRITES = 30;

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const HOSTILE = [...LINE_TERMINATORS, "-->", "<script>x</script>", "*/", "`", "'", "# --- end edit_history ---", "\u202e", "\ufeff", "\\", "😀", "\x1b[2J", "edit_history:", "&a *a", "--"];
const hostile = (r: Random): string => Array.from({ length: Math.floor(r() * 5) }, () => pick(r, HOSTILE)).join("");

const CONTENT: Record<string, string[]> = {
  ".py": ["def main():\n    print('ok')\n", "# --- edit_history ---\nx = 1\n"],
  ".js": ["console.log('ok');\n", "const s = '// --- end edit_history ---';\n"],
  ".ts": ["export const a = 1;\n"],
  ".md": ["# Title\n\nText --> with <b>tags</b>.\n", "<!-- edit_history\n"],
  ".yaml": ["name: demo\nport: 1\n", "base: &b {x: 1}\nuse: *b\n", "{a: 1}\n", "items: [1, 2\n"],
  ".json": ['{\n  "name": "demo"\n}\n', "[1, 2]\n", '{"a": "\\u2028"}'],
  ".txt": ["plain\n"],
  ".toml": ["[tool]\nname = 'x'\n"],
};

/** Every file under `dir` (links as links) with its content, for before/after comparisons outside the project. */
function tree(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (p === skip) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = st.isSymbolicLink() ? "link" : `${st.mode} ${readFileSync(p, "utf8")}`;
    }
  };
  walk(dir);
  return out;
}

function syntaxOf(ext: string): "hash" | "slash" | "html" | null {
  if (ext === ".py" || ext === ".toml") return "hash";
  if (ext === ".js" || ext === ".ts") return "slash";
  return ext === ".md" ? "html" : null;
}

describe("annotate through the CLI under a seeded fuzz", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${WRITES} hostile writes`, async () => {
      const r = seededRandom(seed);
      const root = tempDir("ai-blame-fuzz-");
      const home = join(root, "home");
      const data = join(root, "data");
      const project = join(root, "a", "b", "project");
      for (const d of [home, data, project]) mkdirSync(d, { recursive: true });
      writeFileSync(join(root, "a", "secret.py"), "SECRET = 1\n");
      symlinkSync(join(root, "a", "secret.py"), join(project, "link.py"));
      const session = new ClaudeSession(project, { model: `m${hostile(r)}`, version: `2.0${hostile(r)}` }).prompt(hostile(r) || "go");
      const written = new Map<string, string>();
      for (let i = 0; i < WRITES; i++) {
        const ext = pick(r, Object.keys(CONTENT));
        const where = r();
        const name = `f${i}${r() < 0.2 ? hostile(r).replace(/[/\0]/g, "") : ""}${ext}`;
        const path = where < 0.08 ? join(root, "a", `out${i}${ext}`) : where < 0.14 ? `../../out${i}${ext}` : where < 0.18 ? join(project, "link.py") : join(project, name);
        const content = pick(r, CONTENT[ext] ?? [""]) + (r() < 0.3 ? `${hostile(r)}\n` : "");
        session.write(path, content, null, r() < 0.5 ? `${hostile(r)}model` : undefined);
        if (path.startsWith(project) && !path.endsWith("link.py")) {
          writeFileSync(path, content);
          written.set(path, content);
        }
      }
      session.save(home);
      const run = (args: string[]) => runCli(args, { cwd: project, env: { HOME: home, AI_BLAME_DATA_DIR: data } });
      const outsideBefore = tree(root, project);
      expect((await run(["init", "--flavor", "in-place"])).code).toBe(0);
      const first = await run(["annotate"]);
      expect([0, 1]).toContain(first.code);
      expect(first.stderr).toMatch(/^(|ai-blame: error: \d+ files? could not be annotated \(see above\)\n)$/);
      expect(first.stdout).not.toMatch(/\n\s+at /);
      // Nothing outside the project changed (the data dir holds the index: compared without it).
      const strip = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith("data/")));
      expect(strip(tree(root, project))).toEqual(strip(outsideBefore));
      for (const [path, before] of written) {
        const after = readFileSync(path, "utf8");
        const syntax = syntaxOf(extname(path));
        if (after === before) continue;
        const without = (value: unknown) => {
          const { edit_history: _dropped, ...rest } = value as Record<string, unknown>;
          return rest;
        };
        if (syntax) {
          // The user's text first, then the block; it reads back and holds no line end the file did not have.
          expect(after.startsWith(before.replace(/\n?$/, "\n")), path).toBe(true);
          const back = readCommentBlock(after, syntax);
          expect(Array.isArray(back) && back.length > 0, path).toBe(true);
          for (const t of LINE_TERMINATORS) if (t !== "\n" && !before.includes(t)) expect(after.includes(t), path).toBe(false);
        } else if (extname(path) === ".yaml") {
          const doc = parseDocument(after);
          expect(doc.errors).toEqual([]);
          expect(without(doc.toJS())).toEqual(without(parseDocument(before).toJS()));
        } else if (extname(path) === ".json") {
          expect(without(JSON.parse(after))).toEqual(without(JSON.parse(before)));
        }
      }
      if (process.env["AI_BLAME_FUZZ_SEEDS"]) console.log(`fuzz cli seed ${seed}: ${WRITES} writes, ${first.stdout.match(/\n\d+ changed.*\n/)?.[0]?.trim()}`);
      const second = await run(["annotate"]);
      expect(second.code).toBe(first.code);
      expect(second.stdout).toMatch(/\n0 changed, /);
    });
  }
});
