// The run's temp root (tests/support/temp-root.ts): what tests create under os.tmpdir() is removed with the run.

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

describe("temp root of a test run", () => {
  it("puts the tests' temp folders under one folder of this run", () => {
    expect(basename(tmpdir())).toMatch(/^t-[A-Za-z0-9]{6}$/);
    const made = mkdtempSync(join(tmpdir(), "probe-"));
    expect(dirname(made)).toBe(tmpdir());
    expect(existsSync(made)).toBe(true);
  });
});
