// @ts-check
// The generated project's files as line arrays, and the edits agents make to them. Every non-blank line carries a
// globally unique numeric token, so any old text that starts with a non-blank line occurs exactly once — edits are
// always unambiguous, and each edit returns the exact before/after text and a Claude-style structuredPatch hunk.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGES = ["api", "core", "storage", "auth", "billing", "search", "jobs", "metrics", "render", "sync", "util", "cli"];

/** @typedef {{lines: string[], ext: string, createdBy: "human" | "claude" | "codex", cached: string | null}} ProjectFile */

export class Project {
  /** @param {import("./gen-random.mjs").Rng} rng */
  constructor(rng) {
    this.rng = rng;
    this.token = 1000;
    /** @type {Map<string, ProjectFile>} */
    this.files = new Map();
  }

  /** One unique line of code in the file's language. @param {string} ext */
  codeLine(ext) {
    const r = this.rng;
    const t = this.token++;
    const w = r.word();
    if (ext === "py") {
      switch (r.int(0, 5)) {
        case 0: return `def ${w}_${t}(${r.word()}, ${r.word()}=None):`;
        case 1: return `    ${w}_${t} = ${r.word()}_${r.int(1, 99)}(${r.word()}, ${r.int(0, 999)})`;
        case 2: return `    if ${w}_${t} is not None and ${r.word()} > ${r.int(0, 99)}:`;
        case 3: return `        return ${w}_${t}.${r.word()}(${r.word()})`;
        case 4: return `    # ${r.words(r.int(3, 9))} (${t})`;
        default: return `        ${w}_${t}.append(${r.word()}[${r.int(0, 9)}])`;
      }
    }
    switch (r.int(0, 5)) {
      case 0: return `export function ${w}${t}(${r.word()}: string, ${r.word()}: number): ${r.pick(["string", "number", "boolean", "void"])} {`;
      case 1: return `  const ${w}${t} = ${r.word()}(${r.word()}, ${r.int(0, 999)});`;
      case 2: return `  if (${w}${t} > ${r.int(0, 99)}) return ${r.word()};`;
      case 3: return `  // ${r.words(r.int(3, 9))} (${t})`;
      case 4: return `  ${w}${t}.push(${r.word()}[${r.int(0, 9)}]);`;
      default: return `  return ${w}${t} ?? ${r.int(0, 9)}; }`;
    }
  }

  /** `count` lines with an occasional blank line (never first). @param {string} ext @param {number} count */
  codeBlock(ext, count) {
    /** @type {string[]} */
    const out = [];
    for (let i = 0; i < count; i++) out.push(i > 0 && this.rng.chance(0.12) ? "" : this.codeLine(ext));
    return out;
  }

  /** A fresh path under src/ (or web/) that does not exist yet. */
  newPath() {
    for (;;) {
      const ext = this.rng.chance(0.65) ? "py" : "ts";
      const dir = ext === "py" ? `src/${this.rng.pick(PACKAGES)}` : `web/src/${this.rng.pick(PACKAGES)}`;
      const path = `${dir}/${this.rng.word()}_${this.rng.int(1, 9999)}.${ext}`;
      if (!this.files.has(path)) return path;
    }
  }

  /** @param {string} path @param {string[]} lines @param {ProjectFile["createdBy"]} createdBy */
  add(path, lines, createdBy) {
    const ext = path.endsWith(".py") ? "py" : "ts";
    this.files.set(path, { lines, ext, createdBy, cached: null });
  }

  /** @param {string} path */
  text(path) {
    const f = this.files.get(path);
    if (!f) throw new Error(`no file ${path}`);
    if (f.cached === null) f.cached = f.lines.length === 0 ? "" : `${f.lines.join("\n")}\n`;
    return f.cached;
  }

  /** A random existing path, optionally filtered. @param {(p: string, f: ProjectFile) => boolean} [keep] */
  pickPath(keep) {
    const paths = [...this.files.keys()].filter((p) => !keep || keep(p, /** @type {ProjectFile} */ (this.files.get(p))));
    return paths.length === 0 ? null : this.rng.pick(paths);
  }

  /**
   * A random edit of `path`: replace 1–`maxOld` lines (starting at a non-blank line) by 1–`maxNew` new lines, or
   * insert `insert` lines after an anchor line. Applies it and returns the exact strings and hunk.
   * @param {string} path @param {{maxOld?: number, maxNew?: number, insert?: number}} [shape]
   */
  edit(path, shape = {}) {
    const f = /** @type {ProjectFile} */ (this.files.get(path));
    const before = f.lines;
    let a = this.rng.int(0, before.length - 1);
    while (before[a] === "" && a > 0) a -= 1;
    if (before[a] === "") throw new Error(`cannot edit ${path}: no anchor line`);
    let b;
    /** @type {string[]} */
    let replacement;
    if (shape.insert) {
      b = a + 1;
      replacement = [/** @type {string} */ (before[a]), ...this.codeBlock(f.ext, shape.insert)];
    } else {
      b = Math.min(before.length, a + this.rng.int(1, shape.maxOld ?? 3));
      replacement = [this.codeLine(f.ext), ...this.codeBlock(f.ext, this.rng.int(0, (shape.maxNew ?? 4) - 1))];
    }
    return this.replace(path, a, b, replacement);
  }

  /**
   * Replace lines [a, b) of `path` by `replacement` (whole lines).
   * @param {string} path @param {number} a @param {number} b @param {string[]} replacement
   */
  replace(path, a, b, replacement) {
    const f = /** @type {ProjectFile} */ (this.files.get(path));
    const beforeText = this.text(path);
    const oldLines = f.lines.slice(a, b);
    const hunk = makeHunk(f.lines, a, b, replacement);
    // The new text by slicing the old one (joining a 10,000-line file per edit dominated the generator's time).
    let from = 0;
    for (let i = 0; i < a; i++) from += /** @type {string} */ (f.lines[i]).length + 1;
    let to = from;
    for (let i = a; i < b; i++) to += /** @type {string} */ (f.lines[i]).length + 1;
    const afterText = `${beforeText.slice(0, from)}${replacement.join("\n")}\n${beforeText.slice(to)}`;
    f.lines.splice(a, b - a, ...replacement);
    f.cached = afterText;
    return {
      before: beforeText,
      after: afterText,
      oldString: oldLines.join("\n"),
      newString: replacement.join("\n"),
      oldLines,
      newLines: replacement,
      start: a,
      hunk,
    };
  }

  /** Write every file under `dir`. @param {string} dir */
  writeTo(dir) {
    for (const [path, f] of this.files) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.lines.length === 0 ? "" : `${f.lines.join("\n")}\n`);
    }
  }
}

/**
 * One structuredPatch hunk for replacing lines [a, b) of `lines` by `next`, trimmed to the lines that really change
 * and with up to 3 lines of context, numbered as unified diffs (and Claude) do.
 * @param {string[]} lines @param {number} a @param {number} b @param {string[]} next
 */
export function makeHunk(lines, a, b, next) {
  let p = 0;
  while (p < b - a && p < next.length && lines[a + p] === next[p]) p++;
  let s = 0;
  while (s < b - a - p && s < next.length - p && lines[b - 1 - s] === next[next.length - 1 - s]) s++;
  const oldFrom = a + p;
  const oldTo = b - s;
  const added = next.slice(p, next.length - s);
  const before = Math.min(3, oldFrom);
  const after = Math.min(3, lines.length - oldTo);
  const hunkLines = [
    ...lines.slice(oldFrom - before, oldFrom).map((l) => ` ${l}`),
    ...lines.slice(oldFrom, oldTo).map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    ...lines.slice(oldTo, oldTo + after).map((l) => ` ${l}`),
  ];
  const oldCount = before + (oldTo - oldFrom) + after;
  const newCount = before + added.length + after;
  const start = oldFrom - before + 1;
  return {
    oldStart: oldCount === 0 ? start - 1 : start,
    oldLines: oldCount,
    newStart: newCount === 0 ? start - 1 : start,
    newLines: newCount,
    lines: hunkLines,
  };
}
