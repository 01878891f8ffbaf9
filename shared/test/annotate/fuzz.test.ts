// A seeded fuzz of annotate's writers (comment blocks in every syntax, YAML append, JSON append, sidecars): hostile
// history values built from line terminators, comment closers, markers, YAML/JSON syntax, bidi and control
// characters, written into realistic documents mutated the same way. Every outcome must be a result, never an
// exception; a written document reads back to exactly the entries written, keeps the user's text, holds no
// injected line end and is stable on a second run; a refusal is one plain line. The seed makes any failure
// replayable; the input count is fixed, so the run stays a few seconds in CI.

import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { applyCommentBlock, readCommentBlock } from "../../src/annotate/comment-block";
import { COMMENT_SYNTAXES, htmlCommentText, LINE_TERMINATORS, safeHistoryText } from "../../src/annotate/escape";
import { mergeEntries, type HistoryEntry, type StoredEntry } from "../../src/annotate/history";
import { applyJsonHistory } from "../../src/annotate/json-append";
import { applyYamlHistory, newSidecarText, type TextOutcome } from "../../src/annotate/yaml-append";
import { seededRandom } from "../support/random";

// A longer campaign: AI_BLAME_FUZZ_SEED=<n> AI_BLAME_FUZZ_ROUNDS=<n> npx vitest run shared/test/annotate/fuzz.test.ts
const SEED = Number(process.env["AI_BLAME_FUZZ_SEED"] ?? 0x5eed_11);
const ROUNDS = Number(process.env["AI_BLAME_FUZZ_ROUNDS"] ?? 150);

const PIECES = [
  ...LINE_TERMINATORS, "--", "-->", "<!--", "<!-- edit_history", ">", "<", "*/", "/*", "`", "```", "'", '"', "#", "//",
  "\\", "\\u{2028}", "# --- edit_history ---", "// --- end edit_history ---", "--- end edit_history ---", "edit_history:",
  "- ", ": ", "&a", "*a", "!!str", "{", "}", "[", "]", ",", "\u202e", "\u2066", "\u200b", "\ufeff", "\ud800", "\udc00",
  "😀", "\x00", "\x1b[31m", "\x07", "\t", " ", "   ", "a", "é", "%", "@", "null", "~", "yes", "0x1F", "1e3", "...",
  "---", "require('child_process').execSync('touch PWNED')", "<script>alert(1)</script>", "?", "|", ">-",
];

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

function hostile(r: Random): string {
  let s = "";
  const n = Math.floor(r() * 7);
  for (let i = 0; i < n; i++) s += pick(r, PIECES);
  return s;
}

function entries(r: Random): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const e: HistoryEntry = {
      timestamp: safeHistoryText(r() < 0.8 ? new Date(Date.UTC(2025, 11, 1 + i, 10, Math.floor(r() * 60))).toISOString() : hostile(r)),
      model: safeHistoryText(hostile(r) || "m"),
      action: pick(r, ["CREATED", "EDITED", "DELETED"] as const),
      agent_tool: safeHistoryText(r() < 0.8 ? "claude-code" : hostile(r)),
    };
    if (r() < 0.5) e.agent_version = safeHistoryText(hostile(r));
    if (r() < 0.3) e.session_id = safeHistoryText(hostile(r));
    out.push(e);
  }
  return out;
}

/** A realistic document with hostile lines inserted, maybe CRLF, maybe without its final newline. */
function mutate(r: Random, base: string, line: () => string): string {
  const lines = base.split("\n");
  const inserts = Math.floor(r() * 3);
  for (let i = 0; i < inserts; i++) lines.splice(Math.floor(r() * (lines.length + 1)), 0, line());
  let text = lines.join("\n");
  if (r() < 0.2) text = text.replace(/\n/g, "\r\n");
  if (r() < 0.15) text = text.replace(/\r?\n$/, "");
  return text;
}

const CODE: Record<string, string[]> = {
  hash: ["import os\n\n\ndef main():\n    print('hi')\n", "", "# just a comment\n", "x = '''\n# --- edit_history ---\n'''\n"],
  slash: ["export const a = 1;\n", "function f() {\n  return `--- edit_history ---`;\n}\n", "// --- edit_history ---\n"],
  html: ["# Title\n\nText with <b>html</b> and --> arrows.\n", "<!-- a comment -->\n", ""],
};
const YAML_DOCS = ["name: demo\nport: 8080\n", "# comment only\n", "", "base: &b {x: 1}\nuse: *b\n", "{a: 1, b: [1, 2]}\n",
  "edit_history:\n- timestamp: 2025-01-01T00:00:00Z\n  model: old\n", "edit_history: 3\n", "---\na: 1\n", "- a\n- b\n", "a: 'it''s'\n"];
const JSON_DOCS = ['{"a": 1}\n', '{\n    "name": "x",\n    "items": [1, 2]\n}\n', "{}", "[1, 2]", '{"edit_history": [{"model": "old"}]}',
  '{"edit_history": 5}', "\ufeff{\"a\": true}\n", '{"a": "\\u2028"}'];

const NON_LF = LINE_TERMINATORS.filter((t) => t !== "\n" && t !== "\r");

interface Tally {
  inputs: number;
  written: number;
  refused: number;
}

/** A longer campaign prints what it tried (the default CI run stays quiet). */
function report(name: string, t: Tally): void {
  if (process.env["AI_BLAME_FUZZ_ROUNDS"]) console.log(`fuzz ${name} seed ${SEED}: ${JSON.stringify(t)}`);
}

/** Runs one writer on one input: never throws, a refusal is one line, a success passes `check` and is stable. */
function attempt(t: Tally, run: (text: string) => TextOutcome, input: string, check: (out: string) => void): void {
  t.inputs++;
  const outcome = run(input);
  if (!outcome.ok) {
    t.refused++;
    expect(outcome.reason, JSON.stringify(input)).not.toMatch(/\n|\s{2}at /);
    return;
  }
  t.written++;
  const context = `input ${JSON.stringify(input)}\noutput ${JSON.stringify(outcome.text)}`;
  try {
    check(outcome.text);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${context}`);
  }
  expect(run(outcome.text), context).toEqual({ ok: true, text: outcome.text });
}

const markers: Record<string, [string, string]> = {
  hash: ["# --- edit_history ---", "# --- end edit_history ---"],
  slash: ["// --- edit_history ---", "// --- end edit_history ---"],
  html: ["<!-- edit_history", "-->"],
};

/** The bytes before the block's start marker line and after its end marker line (all of `text` when none). */
function userBytes(text: string, syntax: string): [string, string] {
  const [open, close] = markers[syntax] ?? ["", ""];
  let offset = 0;
  let start = -1;
  for (const raw of text.split(/(?<=\n)/)) {
    const line = raw.replace(/\r?\n$/, "");
    if (start === -1 && line === open) start = offset;
    else if (start !== -1 && line === close) return [text.slice(0, start), text.slice(offset + raw.length)];
    offset += raw.length;
  }
  return [text, ""];
}

/** The block's lines of a written comment block hold no line terminator of any kind, no HTML comment closer. */
function blockLinesOf(out: string, syntax: string): string[] {
  const lines = out.split(/\r?\n/);
  const [open, close] = markers[syntax] ?? ["", ""];
  const start = lines.indexOf(open);
  const end = lines.indexOf(close, start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

describe("annotate writers under a seeded fuzz", () => {
  it(`comment blocks: ${ROUNDS} rounds per syntax`, () => {
    const r = seededRandom(SEED);
    const t: Tally = { inputs: 0, written: 0, refused: 0 };
    for (const syntax of COMMENT_SYNTAXES) {
      for (let i = 0; i < ROUNDS; i++) {
        const fresh = entries(r);
        const input = mutate(r, pick(r, CODE[syntax] ?? []), () => hostile(r));
        attempt(t, (text) => applyCommentBlock(text, syntax, fresh), input, (out) => {
          const expected = syntax === "html" ? fresh.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, htmlCommentText(v)]))) : fresh;
          expect(readCommentBlock(out, syntax)).toEqual(expected);
          for (const line of blockLinesOf(out, syntax)) {
            for (const c of NON_LF) expect(line.includes(c)).toBe(false);
            expect(line.includes("\r")).toBe(false);
            if (syntax === "html") expect(line).not.toMatch(/--|[<>]/);
            else expect(line.startsWith(syntax === "hash" ? "#" : "//")).toBe(true);
          }
          // Every byte of the user's text is where it was: around a replaced block, or before an appended one
          // (which may add a line end and one blank separator line).
          const [before, rest] = userBytes(input, syntax);
          const [nowBefore, nowRest] = userBytes(out, syntax);
          if (readCommentBlock(input, syntax) === null) {
            expect(nowBefore.startsWith(before) && /^(\r?\n){0,2}$/.test(nowBefore.slice(before.length)) && nowRest === "").toBe(true);
          } else expect([nowBefore, nowRest]).toEqual([before, rest]);
        });
      }
    }
    report("comment", t);
    expect(t.inputs).toBe(ROUNDS * COMMENT_SYNTAXES.length);
    expect(t.written).toBeGreaterThan(t.inputs / 2);
  });

  it(`YAML append and sidecars: ${ROUNDS} rounds`, () => {
    const r = seededRandom(SEED + 1);
    const t: Tally = { inputs: 0, written: 0, refused: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const fresh = entries(r);
      const input = mutate(r, pick(r, YAML_DOCS), () => (r() < 0.5 ? `k${i}: ${JSON.stringify(hostile(r))}` : hostile(r)));
      const before = parseDocument(input, { uniqueKeys: false });
      let existing: unknown;
      try {
        existing = (before.errors.length === 0 ? (before.toJS({ maxAliasCount: -1 }) as { edit_history?: unknown } | null) : null)?.edit_history;
      } catch {
        existing = undefined; // An unresolvable alias: the writer must refuse the document (checked by attempt).
      }
      attempt(t, (text) => applyYamlHistory(text, fresh), input, (out) => {
        const doc = parseDocument(out, { uniqueKeys: false });
        expect(doc.errors).toEqual([]);
        const data = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
        expect(data["edit_history"]).toEqual(mergeEntries(Array.isArray(existing) ? (existing as StoredEntry[]) : [], fresh));
      });
      const name = hostile(r) || "file.txt";
      const sidecar = newSidecarText(name, fresh);
      expect(parseDocument(sidecar).toJS()).toEqual({ source_file: safeHistoryText(name), edit_history: mergeEntries([], fresh) });
      for (const c of NON_LF) expect(sidecar.includes(c)).toBe(false);
    }
    report("yaml", t);
    expect(t.written).toBeGreaterThan(t.inputs / 3);
  });

  it(`JSON append: ${ROUNDS} rounds`, () => {
    const r = seededRandom(SEED + 2);
    const t: Tally = { inputs: 0, written: 0, refused: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const fresh = entries(r);
      const base = pick(r, JSON_DOCS);
      const input = r() < 0.7 && base.includes('"a"') ? base.replace('"a"', `${JSON.stringify(hostile(r))}`) : mutate(r, base, () => hostile(r));
      attempt(t, (text) => applyJsonHistory(text, fresh), input, (out) => {
        const data = JSON.parse(out.replace(/^\ufeff/, "")) as Record<string, unknown>;
        const old = JSON.parse(input.replace(/^\ufeff/, "")) as Record<string, unknown>;
        const existing = Array.isArray(old["edit_history"]) ? (old["edit_history"] as StoredEntry[]) : [];
        expect(data["edit_history"]).toEqual(mergeEntries(existing, fresh));
        const { edit_history: _a, ...rest } = data;
        const { edit_history: _b, ...restBefore } = old;
        expect(rest).toEqual(restBefore);
        expect(out.startsWith("\ufeff")).toBe(input.startsWith("\ufeff"));
      });
    }
    report("json", t);
    expect(t.written).toBeGreaterThan(t.inputs / 3);
  });
});
