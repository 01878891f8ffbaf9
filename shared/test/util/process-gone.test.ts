import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processGone } from "../../src/util/process-gone";

describe("processGone", () => {
  it("is false for a running process (this one)", () => {
    expect(processGone(process.pid)).toBe(false);
  });

  it("is true for the pid of a process that has exited and been reaped", () => {
    const child = spawnSync(process.execPath, ["-e", "0"]);
    expect(child.status).toBe(0);
    expect(child.pid).toBeGreaterThan(0);
    // The pid is free once reaped; it could only be reused by a new process within this instant.
    expect(processGone(child.pid)).toBe(true);
  });

  it("is false when the answer is not 'no such process' (an invalid pid is not proof of a dead writer)", () => {
    // A pid beyond int32 makes process.kill throw ERR_INVALID_ARG_TYPE, not ESRCH.
    expect(processGone(2 ** 31)).toBe(false);
  });
});
