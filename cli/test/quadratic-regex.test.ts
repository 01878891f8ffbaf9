// Super-linear regexes on trace text: a Write whose content and model id each hold 1 MB of spaces between two
// letters. The old `/\s+$/` (annotate planning) and `/[ \t]+$/gm` (report output) retried from every position of the
// run — hours at this size — so `report` and `annotate --dry-run` through the built CLI finishing within the test's
// default timeout is the regression check (the size, not a time, is what the test sets).

import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const SPACES = " ".repeat(1 << 20);

let p: TestProject;

beforeAll(() => {
  p = makeProject();
  const content = `a${SPACES}b\n`;
  p.file("wide.txt", content);
  new ClaudeSession(p.project, { model: `m${SPACES}x` }).prompt("wide").write(p.path("wide.txt"), content).save(p.home);
});

describe("a megabyte of spaces in trace text", () => {
  it("report finishes and shows the model id whole", async () => {
    const report = await p.run(["report"]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`  model: m${SPACES}x\n`);
  });

  it("annotate --dry-run finishes (planning compares the file without the quadratic trim)", async () => {
    const annotate = await p.run(["annotate", "--dry-run"]);
    expect(annotate.code).toBe(0);
    expect(annotate.stdout).toContain('  Would write sidecar: "wide.history.yaml"');
  });
});
