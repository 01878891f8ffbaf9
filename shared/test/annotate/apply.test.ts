// Planning and applying annotations on a real temp project: each policy writes what it should, a second run changes
// nothing, dry runs write nothing and return diffs, and hostile paths (`..`, absolute elsewhere, a symlink out of
// the root), invalid documents and read-only files are refused and counted. Attribution is a stand-in here.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { applyPlans } from "../../src/annotate/apply";
import { builtinConfig, parseConfig, type AnnotateConfig } from "../../src/annotate/config";
import { planAnnotations, type PlanSource } from "../../src/annotate/plan";
import type { BlameJson } from "../../src/contract";
import type { EditEvent } from "../../src/events/edit-event";

let root: string;
let project: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "ai-blame-apply-"));
  project = join(root, "project");
  mkdirSync(project);
});

let counter = 0;
function event(file: string, action: EditEvent["action"], timestamp: string, extra: Partial<EditEvent> = {}): EditEvent {
  counter++;
  return {
    id: `claude-code:s1:toolu_${counter}:${file}`,
    file: resolve(project, file),
    action,
    timestamp,
    model: "claude-opus-4-5-20251101",
    agent: "claude-code",
    agentVersion: "2.0.75",
    sessionId: "2c965cfd-41e4-4e31-8339-2986ebced03c",
    parentSessionId: null,
    subagentId: null,
    traceFile: "/home/u/.claude/projects/-p/2c965cfd.jsonl",
    traceOffset: counter * 100,
    toolCallId: `toolu_${counter}`,
    toolName: action === "CREATED" ? "Write" : "Edit",
    promptId: null,
    promptText: null,
    changeSize: 10,
    change: {},
    ...extra,
  };
}

function source(events: EditEvent[], config: AnnotateConfig, owners?: (file: string) => string[]): PlanSource {
  return {
    projectDir: project,
    config,
    events,
    allEvents: events,
    blame: (path: string, text: string): BlameJson => {
      const ids = owners ? owners(path) : [];
      const lines = text.split("\n").map((t, i) => {
        const id = ids[i % Math.max(ids.length, 1)];
        return {
          line: i + 1,
          text: t,
          owner: id ? ({ eventId: id } as BlameJson["lines"][number]["owner"]) : null,
          reason: id ? null : ("changed-after-ai" as const),
        };
      });
      return { file: path, lines, blocks: [], created: null, events: 0, fallbacks: 0 };
    },
    content: () => undefined,
    relativePath: (abs: string) => {
      const rel = relative(project, abs);
      return rel.startsWith("..") ? abs : rel;
    },
  };
}

function treeHash(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)}:${st.mode}:${readFileSync(p, "utf8")}`);
    }
  };
  walk(dir);
  return out.join("\n");
}

const write = (rel: string, text: string): void => {
  mkdirSync(join(project, rel, ".."), { recursive: true });
  writeFileSync(join(project, rel), text);
};

describe("annotate plans", () => {
  it("applies each built-in policy once and changes nothing on the second run", () => {
    write("config.yaml", "# settings\nname: demo\n");
    write("data.json", '{\n  "a": 1\n}\n');
    write("src/main.py", "print('hi')\n");
    const events = [
      event("config.yaml", "CREATED", "2025-12-28T15:20:54.362Z"),
      event("data.json", "CREATED", "2025-12-28T15:21:00.000Z"),
      event("src/main.py", "CREATED", "2025-12-28T15:22:00.000Z"),
      event("src/main.py", "EDITED", "2025-12-28T15:23:00.000Z"),
    ];
    const first = applyPlans(planAnnotations(source(events, builtinConfig())), { dryRun: false });
    expect(first.results.map((r) => [r.file, r.status, r.destination])).toEqual([
      ["config.yaml", "updated", "config.yaml"],
      ["data.json", "updated", "data.json"],
      ["src/main.py", "wrote-sidecar", "src/main.history.yaml"],
    ]);
    expect(readFileSync(join(project, "config.yaml"), "utf8")).toMatch(/^# settings\nname: demo\n\nedit_history:\n- timestamp: 2025-12-28T15:20:54.362Z\n/);
    expect(readFileSync(join(project, "src/main.history.yaml"), "utf8")).toMatch(/^source_file: main.py\nedit_history:\n- timestamp: 2025-12-28T15:22:00Z\n/);
    const before = treeHash(project);
    const second = applyPlans(planAnnotations(source(events, builtinConfig())), { dryRun: false });
    expect(second.results.map((r) => r.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(treeHash(project)).toBe(before);
  });

  it("a dry run writes nothing and returns a unified diff per file", () => {
    write("notes.md", "# Notes\n");
    const config = parseConfig(`rules:\n  - pattern: "*.md"\n    policy: comment\n`, "/x");
    const before = treeHash(project);
    const out = applyPlans(planAnnotations(source([event("notes.md", "CREATED", "2025-12-28T15:20:00Z")], config)), { dryRun: true });
    expect(treeHash(project)).toBe(before);
    expect(out.results[0]?.status).toBe("would-update");
    expect(out.results[0]?.diff).toBe(
      "--- a/notes.md\n+++ b/notes.md\n@@ -1,1 +1,9 @@\n # Notes\n+\n+<!-- edit_history\n" +
        "+- timestamp: 2025-12-28T15:20:00Z\n+  model: claude-opus-4-5-20251101\n+  action: CREATED\n" +
        "+  agent_tool: claude-code\n+  agent_version: 2.0.75\n+-->\n",
    );
  });

  it("refuses files and sidecars outside the root, and symlinks leading out of it", () => {
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "secret\n");
    symlinkSync(outside, join(project, "link.yaml"));
    write("ok.py", "x = 1\n");
    const config = parseConfig(
      `defaults:\n  policy: sidecar\nrules:\n  - pattern: "ok.py"\n    policy: sidecar\n    sidecar_pattern: "../{name}.yaml"\n`,
      "/x",
    );
    const events = [
      event("../outside.txt", "EDITED", "2025-12-28T15:20:00Z"),
      event("/etc/hostname", "EDITED", "2025-12-28T15:20:01Z"),
      event("link.yaml", "EDITED", "2025-12-28T15:20:02Z"),
      event("ok.py", "CREATED", "2025-12-28T15:20:03Z"),
    ];
    const before = treeHash(root);
    const out = applyPlans(planAnnotations(source(events, config)), { dryRun: false });
    expect(out.results.map((r) => [r.file, r.status])).toEqual([
      ["/etc/hostname", "refused"],
      [outside, "refused"],
      ["link.yaml", "refused"],
      ["ok.py", "refused"],
    ]);
    expect(out.results[2]?.message).toBe("link.yaml is a symlink leading outside the project root");
    expect(out.results[3]?.message).toBe(`sidecar ${join(root, "ok.py.yaml")} of ok.py is outside the project root`);
    expect(out.counts.refused).toBe(4);
    expect(treeHash(root)).toBe(before);
  });

  it("accepts real paths of a project reached through a symlink", () => {
    write("conf.yaml", "a: 1\n");
    const link = join(root, "link-to-project");
    symlinkSync(project, link);
    const viaLink = { ...source([event("conf.yaml", "CREATED", "2025-12-28T15:20:00Z")], builtinConfig()), projectDir: link };
    const out = applyPlans(planAnnotations(viaLink), { dryRun: false });
    expect(out.results.map((r) => r.status)).toEqual(["updated"]);
    expect(readFileSync(join(project, "conf.yaml"), "utf8")).toMatch(/^a: 1\n\nedit_history:\n/);
  });

  it("leaves invalid YAML untouched with a reason, reports read-only files, keeps permissions", () => {
    write("broken.yaml", "a: [1, 2\n");
    write("locked.yaml", "a: 1\n");
    write("script.yaml", "a: 1\n");
    chmodSync(join(project, "locked.yaml"), 0o444);
    chmodSync(join(project, "script.yaml"), 0o750);
    const events = [
      event("broken.yaml", "CREATED", "2025-12-28T15:20:00Z"),
      event("locked.yaml", "CREATED", "2025-12-28T15:20:01Z"),
      event("script.yaml", "CREATED", "2025-12-28T15:20:02Z"),
    ];
    const out = applyPlans(planAnnotations(source(events, builtinConfig())), { dryRun: false });
    expect(out.results.map((r) => r.status)).toEqual(["invalid", "read-only", "updated"]);
    expect(out.results[0]?.message).toMatch(/^broken\.yaml: invalid YAML at line \d+: .*; left untouched$/);
    expect(readFileSync(join(project, "broken.yaml"), "utf8")).toBe("a: [1, 2\n");
    expect(readFileSync(join(project, "locked.yaml"), "utf8")).toBe("a: 1\n");
    expect(statSync(join(project, "script.yaml")).mode & 0o777).toBe(0o750);
    expect(readdirSync(project).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("a file changed since the trace keeps only events that still own a line, plus its creation", () => {
    write("app.py", "a = 1\nb = 2\nhuman = 3\n");
    const create = event("app.py", "CREATED", "2025-12-28T15:20:00Z");
    const overwritten = event("app.py", "EDITED", "2025-12-28T15:21:00Z");
    const live = event("app.py", "EDITED", "2025-12-28T15:22:00Z");
    const plans = planAnnotations(source([create, overwritten, live], builtinConfig(), () => [live.id, live.id, ""]));
    expect(plans[0]?.dropped).toBe(1);
    expect(plans[0]?.entries.map((e) => e.timestamp)).toEqual(["2025-12-28T15:20:00Z", "2025-12-28T15:22:00Z"]);
  });

  it("two files whose sidecars collide: the second is refused instead of overwriting the first's history", () => {
    write("lib/util.py", "x\n");
    write("lib/util.js", "y\n");
    const events = [event("lib/util.py", "CREATED", "2025-12-28T15:20:00Z"), event("lib/util.js", "CREATED", "2025-12-28T15:20:01Z")];
    const out = applyPlans(planAnnotations(source(events, builtinConfig())), { dryRun: false });
    expect(out.results.map((r) => [r.file, r.status])).toEqual([
      ["lib/util.js", "wrote-sidecar"],
      ["lib/util.py", "failed"],
    ]);
    expect(out.results[1]?.message).toBe(
      "sidecar lib/util.history.yaml of lib/util.py is also written for lib/util.js (use {name} in sidecar_pattern)",
    );
  });

  it("reports missing files, skipped files and files no rule matches", () => {
    write("tests/t.py", "x\n");
    write("README", "r\n");
    const config = parseConfig(`rules:\n  - pattern: "tests/**"\n    policy: skip\n`, "/x");
    const events = [
      event("gone.py", "CREATED", "2025-12-28T15:20:00Z"),
      event("tests/t.py", "CREATED", "2025-12-28T15:20:01Z"),
      event("README", "CREATED", "2025-12-28T15:20:02Z"),
    ];
    const out = applyPlans(planAnnotations(source(events, config)), { dryRun: false });
    expect(out.results.map((r) => [r.file, r.status])).toEqual([
      ["README", "no-rule"],
      ["gone.py", "not-found"],
      ["tests/t.py", "skipped"],
    ]);
    expect(out.counts).toMatchObject({ skipped: 2, notFound: 1, changed: 0 });
  });
});
