// Row spoofing through the built CLI: a traced file name and a model id carrying a newline, a tab and U+2028 must
// not split a row or shift columns in any one-row-per-item table (timeline, blame, transcript list, stats, report,
// annotate): each shows up inside its own row with ␊ ␉ <U+2028>, and no fake row appears.

import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const FAKE = "2025-01-01 00:00:00  CREATED    FAKE";
const FILE = `spoof\n${FAKE}.py`;
const MODEL = `model\n${FAKE}\tcolumn\u2028end`;

let p: TestProject;

beforeAll(() => {
  p = makeProject();
  new ClaudeSession(p.project, { model: MODEL })
    .prompt("write both")
    .write(p.path(FILE), "x = 1\n")
    .write(p.path("plain.py"), "y = 2\n")
    .save(p.home);
  p.file(FILE, "x = 1\n");
  p.file("plain.py", "y = 2\n");
});

async function rows(args: string[]): Promise<string[]> {
  const r = await p.run(args);
  expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
  expect(r.stdout, args.join(" ")).not.toMatch(/[\t\u2028\u2029]/);
  const lines = r.stdout.split("\n");
  // No line starts (or continues) with trace text cut loose from its row.
  expect(lines.filter((l) => l.startsWith(FAKE) || /^\S*FAKE/.test(l)), args.join(" ")).toEqual([]);
  return lines;
}

describe("newlines and tabs in trace text", () => {
  it("stay inside their row in timeline, stats, blame and transcript list", async () => {
    const timeline = await rows(["timeline"]);
    expect(timeline.filter((l) => l.includes(" CREATED "))).toHaveLength(2);
    expect(timeline.join("\n")).toContain("spoof␊2025-01-01 00:00:00  CREATED    FAKE.py");
    expect(timeline.join("\n")).toContain("model␊2025-01-01 00:00:00  CREATED    FAKE␉column<U+2028>end");
    const stats = await rows(["stats"]);
    expect(stats.filter((l) => l.includes("model␊2025-01-01 00:00:00  CREATED    FAKE␉column<U+2028>end"))).toHaveLength(1);
    const blame = await rows(["blame", "plain.py"]);
    expect(blame.filter((l) => l.includes("y = 2"))).toHaveLength(1);
    const list = await rows(["transcript", "list", "--columns", "SO"]);
    expect(list.filter((l) => l.includes("model␊"))).toHaveLength(1);
  });

  it("stay inside their row in report and annotate", async () => {
    const report = await rows(["report"]);
    expect(report.filter((l) => l.includes("spoof␊2025-01-01 00:00:00  CREATED    FAKE.py"))).toHaveLength(3);
    const annotate = await rows(["annotate", "--dry-run"]);
    expect(annotate).toContain('  Would write sidecar: "spoof␊2025-01-01 00:00:00  CREATED    FAKE.history.yaml"');
  });
});
