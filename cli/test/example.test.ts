// The bundled example (examples/) through the built CLI: stats, timeline and blame --json must agree with the
// example's ground truth (examples/expected.json, written by the story that generated the traces), and the text
// outputs must show the same facts.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson, StatsJson, TimelineEntryJson } from "@ai-blame/shared";
import { repoRoot, type RunResult, runCli } from "./support/run-cli";

interface ExpectedEvent {
  file: string;
  agent: string;
  model: string;
  sessionId: string;
  toolCallId: string;
  timestamp: string;
  action: string;
}
interface ExpectedLine {
  line: number;
  text: string;
  event: number | null;
  reason: string | null;
}
interface Expected {
  events: ExpectedEvent[];
  blame: Record<string, ExpectedLine[]>;
}

const expected = JSON.parse(readFileSync(join(repoRoot, "examples", "expected.json"), "utf8")) as Expected;
let dest = "";
let home = "";
let project = "";
const data = () => join(dest, "data");

function run(args: string[]): Promise<RunResult> {
  return runCli(args, { cwd: project, env: { HOME: home, AI_BLAME_DATA_DIR: data() } });
}

beforeAll(async () => {
  const url = pathToFileURL(join(repoRoot, "scripts", "materialize-example.mjs")).href;
  const mod = (await import(url)) as { materializeExample(dest: string): { home: string; project: string } };
  dest = mkdtempSync(join(tmpdir(), "ai-blame-cli-example-"));
  ({ home, project } = mod.materializeExample(join(dest, "example")));
});

afterAll(() => {
  if (dest) rmSync(dest, { recursive: true, force: true });
});

describe("the bundled example", () => {
  it("stats --json counts the example's events, files, models and agents", async () => {
    const r = await run(["stats", "--json"]);
    expect(r.stderr).toBe("");
    const stats = JSON.parse(r.stdout) as StatsJson;
    const count = (key: (e: ExpectedEvent) => string) =>
      expected.events.reduce<Record<string, number>>((acc, e) => {
        acc[key(e)] = (acc[key(e)] ?? 0) + 1;
        return acc;
      }, {});
    expect(stats.events).toBe(expected.events.length);
    expect(stats.files).toBe(new Set(expected.events.map((e) => e.file)).size);
    expect(stats.byModel).toEqual(count((e) => e.model));
    expect(stats.byAgent).toEqual(count((e) => e.agent));
    const text = await run(["stats"]);
    expect(text.stdout).toContain(`Edit events: ${expected.events.length}\n`);
  });

  it("timeline --json lists the example's events oldest first", async () => {
    const entries = JSON.parse((await run(["timeline", "--json"])).stdout) as TimelineEntryJson[];
    // Subagent edits carry their own session id, `<parent session>/agent-<id>`; the story records the parent's.
    const key = (e: { file: string; toolCallId: string; action: string; agent: string; model: string; sessionId: string }) =>
      [e.file, e.toolCallId, e.action, e.agent, e.model, e.sessionId.split("/agent-")[0]].join(" ");
    expect(entries.map(key).sort()).toEqual(expected.events.map(key).sort());
    const times = entries.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const text = await run(["timeline", "-n", "0"]);
    expect(text.stdout).toContain(`Total edits found: ${expected.events.length}`);
    expect(text.stdout.split("\n").filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l))).toHaveLength(expected.events.length);
  });

  it("blame --json gives every line of every file its expected owner or reason", async () => {
    for (const [file, lines] of Object.entries(expected.blame)) {
      const r = await run(["blame", file, "--json"]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      const b = JSON.parse(r.stdout) as BlameJson;
      const got = b.lines.map((l) => (l.owner ? `${l.owner.toolCallId} ${l.owner.action}` : (l.reason ?? "")));
      const want = lines.map((l) => {
        const e = l.event === null ? null : expected.events[l.event];
        return e ? `${e.toolCallId} ${e.action}` : (l.reason ?? "");
      });
      expect(b.lines.map((l) => l.text), file).toEqual(lines.map((l) => l.text));
      // A blank line inserted next to other blank lines can be aligned to either side by any line diff; such a line
      // may belong to its expected owner or to the owner of the nearest non-blank line above or below it.
      const nearest = (i: number, step: number): string | undefined => {
        for (let j = i + step; j >= 0 && j < lines.length; j += step) if (lines[j]?.text.trim() !== "") return want[j];
        return undefined;
      };
      const mismatches = lines.flatMap((l, i) => {
        if (got[i] === want[i]) return [];
        const blank = l.text.trim() === "";
        if (blank && (got[i] === nearest(i, -1) || got[i] === nearest(i, 1))) return [];
        return [`${file}:${l.line} ${JSON.stringify(l.text)} got ${got[i]} want ${want[i]}`];
      });
      expect(mismatches).toEqual([]);
    }
  });

  it("blame text marks the same lines unattributed as --json", async () => {
    const file = "README.md";
    const r = await run(["blame", file, "--no-header", "--columns", "MLC"]);
    const rows = r.stdout.split("\n").slice(2, -1);
    const lines = expected.blame[file] ?? [];
    expect(rows).toHaveLength(lines.length);
    rows.forEach((row, i) => {
      const want = lines[i];
      if (want?.event === null) expect(row, row).toMatch(/^changed after AI|^not in traces|^changed outside AI/);
      else expect(row, row).toMatch(new RegExp(`^${(expected.events[want?.event ?? 0]?.model ?? "").replace(/-20\d{6}$/, "")}\\s`));
    });
  });
});
