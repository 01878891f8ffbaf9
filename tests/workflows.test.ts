// The GitHub workflows, read as data: CI runs `.ci/run` (the README's test command) on every push and pull request
// and can be called by other workflows; every release job depends, directly or through others, on that CI run, so
// nothing is built or published unless it passed; and every repository script a workflow runs exists.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(__dirname, "..");

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { needs?: string | string[]; uses?: string; steps?: Array<{ run?: string }> }>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(root, ".github", "workflows", name), "utf8")) as Workflow;
}

describe("workflows", () => {
  it("CI runs .ci/run on push and pull request, and can be called", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
    const runs = Object.values(ci.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ""));
    expect(runs).toContain("bash .ci/run");
    expect(readFileSync(join(root, ".ci", "run"), "utf8")).toContain("npm ci && npm run test:all");
  });

  it("every release job runs only after the CI workflow passed", () => {
    const release = workflow("release.yml");
    expect(release.jobs["ci"]?.uses).toBe("./.github/workflows/ci.yml");
    const needs = (job: string): string[] => {
      const n = release.jobs[job]?.needs;
      return n === undefined ? [] : Array.isArray(n) ? n : [n];
    };
    const reachesCi = (job: string): boolean => job === "ci" || needs(job).some(reachesCi);
    for (const job of Object.keys(release.jobs)) expect(reachesCi(job), job).toBe(true);
  });

  it("runs only scripts that exist", () => {
    for (const file of ["ci.yml", "release.yml"]) {
      const text = readFileSync(join(root, ".github", "workflows", file), "utf8");
      for (const m of text.matchAll(/\b((?:scripts|python-dist|\.ci)\/[\w./-]+\.(?:sh|py|mjs)|\.ci\/run)\b/g)) {
        expect(existsSync(join(root, m[1] ?? "")), `${file}: ${m[1]}`).toBe(true);
      }
    }
  });
});
