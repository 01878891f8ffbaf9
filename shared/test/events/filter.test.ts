// applyFilter semantics: glob or substring pattern, target, inclusive since/until (a bare until date covers its
// day), agents, min change size keeping each file's first and last events, initial-and-recent.

import { describe, expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { applyFilter, parseFilterTime, type EventFilter } from "../../src/events/filter";
import { isAiBlameError } from "../../src/util/errors";

const PROJECT = "/p";

function ev(file: string, timestamp: string, changeSize: number, agent: EditEvent["agent"] = "claude-code"): EditEvent {
  return {
    id: `${file}@${timestamp}`,
    file: `${PROJECT}/${file}`,
    action: "EDITED",
    timestamp,
    model: "m",
    agent,
    agentVersion: null,
    sessionId: "s",
    parentSessionId: null,
    subagentId: null,
    traceFile: "/t.jsonl",
    traceOffset: 0,
    toolCallId: `c-${file}-${timestamp}`,
    toolName: "Edit",
    promptId: null,
    promptText: null,
    changeSize,
    change: {},
  };
}

const events = [
  ev("src/a.py", "2025-01-01T10:00:00.000Z", 100),
  ev("src/a.py", "2025-01-02T10:00:00.000Z", 3),
  ev("src/a.py", "2025-01-03T10:00:00.000Z", 50),
  ev("src/a.py", "2025-01-04T10:00:00.000Z", 2),
  ev("docs/readme.md", "2025-01-02T23:59:59.999Z", 5, "codex-cli"),
  ev("src/deep/b.py", "2025-01-05T00:00:00.000Z", 7),
];

function check(filter: EventFilter): string[] {
  return applyFilter(events, filter, (e) => e.file.slice(PROJECT.length + 1)).map((e) => `${e.file.slice(3)}@${e.timestamp.slice(5, 10)}`);
}

describe("applyFilter", () => {
  it("matches a pattern without glob characters as a substring", () => {
    expect(check({ pattern: "a.py" })).toEqual(["src/a.py@01-01", "src/a.py@01-02", "src/a.py@01-03", "src/a.py@01-04"]);
  });

  it("matches globs with picomatch; a glob without / matches file names at any depth", () => {
    expect(check({ pattern: "*.py" }).length).toBe(5);
    expect(check({ pattern: "src/*.py" })).toEqual(["src/a.py@01-01", "src/a.py@01-02", "src/a.py@01-03", "src/a.py@01-04"]);
    expect(check({ pattern: "src/**/b.py" })).toEqual(["src/deep/b.py@01-05"]);
    expect(check({ pattern: "{docs,nope}/**" })).toEqual(["docs/readme.md@01-02"]);
  });

  it("treats since and until as inclusive; a bare until date includes that whole day", () => {
    expect(check({ since: "2025-01-02T10:00:00Z", until: "2025-01-02" })).toEqual(["src/a.py@01-02", "docs/readme.md@01-02"]);
    expect(check({ since: "2025-01-05" })).toEqual(["src/deep/b.py@01-05"]);
    expect(check({ until: "2025-01-01T10:00" })).toEqual(["src/a.py@01-01"]);
  });

  it("drops only intermediate events below the minimum size", () => {
    expect(check({ minChangeSize: 10 })).toEqual([
      "src/a.py@01-01",
      "src/a.py@01-03",
      "src/a.py@01-04",
      "docs/readme.md@01-02",
      "src/deep/b.py@01-05",
    ]);
  });

  it("keeps the first and last event per file, and combines with the target", () => {
    expect(check({ initialAndRecent: true })).toEqual(["src/a.py@01-01", "src/a.py@01-04", "docs/readme.md@01-02", "src/deep/b.py@01-05"]);
    expect(check({ initialAndRecent: true, target: "src/" })).toEqual(["src/a.py@01-01", "src/a.py@01-04", "src/deep/b.py@01-05"]);
  });

  it("selects first/last after the time filter, as the reference does", () => {
    expect(check({ initialAndRecent: true, since: "2025-01-02", pattern: "a.py" })).toEqual(["src/a.py@01-02", "src/a.py@01-04"]);
  });

  it("filters by agent (full id or its prefix)", () => {
    expect(check({ agents: ["codex"] })).toEqual(["docs/readme.md@01-02"]);
    expect(check({ agents: ["claude-code"] }).length).toBe(5);
  });

  it("rejects unreadable dates with a usage error", () => {
    let caught: unknown;
    try {
      check({ since: "last tuesday" });
    } catch (err) {
      caught = err;
    }
    expect(isAiBlameError(caught) && caught.code).toBe("usage");
    expect(String((caught as Error).message)).toBe('invalid --since value "last tuesday": expected YYYY-MM-DD or an ISO 8601 date-time');
    expect(parseFilterTime("2025-01-02T03:04:05+02:00", "since")).toBe(Date.parse("2025-01-02T01:04:05Z"));
  });
});
