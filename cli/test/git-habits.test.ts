// Habits from git blame, through the built CLI on hand-built traces: `-L` in git's forms (numbers, +/- counts,
// regexes searched after the previous range, repeated), `--contents FILE|-`, relative `--since/--until`, session id
// prefixes that `transcript view` resolves, `timeline --json -n` and `timeline --show-session`, `--agents` and
// `--skip-<agent>` for every agent of the engine's registry.

import { describe, expect, it } from "vitest";
import { agentNames, type BlameJson, type TimelineEntryJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, CodexSession } from "./support/traces";

const APP = [
  "import sys",
  "",
  "def main():",
  "    args = sys.argv[1:]",
  "    return run(args)",
  "",
  "def run(args):",
  "    for a in args:",
  "        print(a)",
  "    return 0",
  "",
].join("\n");

/** app.py written by one Claude session; returns the project. */
function written(): TestProject {
  const p = makeProject();
  new ClaudeSession(p.project).prompt("Write app.py").write(p.path("app.py"), APP).save(p.home);
  p.file("app.py", APP);
  return p;
}

async function shownLines(p: TestProject, args: string[]): Promise<number[]> {
  const r = await p.run(["blame", "app.py", "--json", ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as BlameJson).lines.map((l) => l.line);
}

describe("blame -L", () => {
  it("reads git's forms: N,M  N,+K  N,-K  N (to the end)  ,M  and a reversed range", async () => {
    const p = written();
    expect(await shownLines(p, ["-L", "3,5"])).toEqual([3, 4, 5]);
    expect(await shownLines(p, ["-L", "3,+2"])).toEqual([3, 4]);
    expect(await shownLines(p, ["-L", "5,-2"])).toEqual([4, 5]);
    expect(await shownLines(p, ["-L", "8"])).toEqual([8, 9, 10]);
    expect(await shownLines(p, ["-L", ",2"])).toEqual([1, 2]);
    expect(await shownLines(p, ["-L", "5,3"])).toEqual([3, 4, 5]);
    // An end past the file is cut, as git does.
    expect(await shownLines(p, ["-L", "9,99"])).toEqual([9, 10]);
  });

  it("searches /regex/ after the previous range, ^/regex/ from the top, and merges repeated ranges", async () => {
    const p = written();
    expect(await shownLines(p, ["-L", "/def /,+1"])).toEqual([3]);
    // The second /def / starts after the first range: the next function.
    expect(await shownLines(p, ["-L", "/def /,+1", "-L", "/def /,+1"])).toEqual([3, 7]);
    expect(await shownLines(p, ["-L", "/def run/,+1", "-L", "^/def /,+1"])).toEqual([3, 7]);
    // An end regex ends the range at its first match after the start.
    expect(await shownLines(p, ["-L", "/def main/,/return/"])).toEqual([3, 4, 5]);
    // Overlapping ranges and --lines join into one selection, in file order.
    expect(await shownLines(p, ["-L", "4,6", "-L", "1,2", "--lines", "5-7"])).toEqual([1, 2, 4, 5, 6, 7]);
  });

  it("prints the selected lines in the table and in --porcelain", async () => {
    const p = written();
    const table = await p.run(["blame", "app.py", "--no-header", "-L", "/def run/,+2", "-L", "1,1"]);
    expect(table.code).toBe(0);
    const rows = table.stdout.split("\n").slice(2).filter((l) => l !== "");
    expect(rows.map((r) => r.split(" | ")[1])).toEqual(["import sys", "def run(args):", "    for a in args:"]);
    const porcelain = await p.run(["blame", "app.py", "--porcelain", "-L", "2,3"]);
    expect(porcelain.stdout.split("\n").filter((l) => l.startsWith("\t"))).toEqual(["\t", "\tdef main():"]);
  });

  it("refuses bad ranges with one line and exit 2, before or after reading the file", async () => {
    const p = written();
    const cases: Array<[string, RegExp]> = [
      ["20,30", /-L 20,30: the file has only 10 lines/],
      ["/nowhere/", /-L \/nowhere\/: no line matches \/nowhere\//],
      ["0,3", /line numbers start at 1/],
      ["3,+0", /offset .* must be at least 1/],
      ["+3,5", /cannot be an offset/],
      ["/(a)\\1/", /needs backtracking/],
      ["/open", /unterminated regex/],
      [":main", /not supported/],
    ];
    for (const [spec, message] of cases) {
      const r = await p.run(["blame", "app.py", "-L", spec]);
      expect(r.code, spec).toBe(2);
      expect(r.stdout, spec).toBe("");
      expect(r.stderr.trim().split("\n"), spec).toHaveLength(1);
      expect(r.stderr, spec).toMatch(message);
    }
  });

  it("runs a backtracking-prone regex over a megabyte line in linear time", async () => {
    const p = makeProject();
    // A nested quantifier against a long run of `a` that ends in `!`: a backtracking engine would never finish.
    p.file("bundle.min.js", `${"a".repeat(1_000_000)}!\nconst x = 1;\n`);
    const r = await p.run(["blame", "bundle.min.js", "--no-header", "-L", "/^(a+)+$/,+1"]);
    expect(r.stderr).toMatch(/^ai-blame: no agent traces found for .*\nai-blame: error: -L \/\^\(a\+\)\+\$\/,\+1: no line matches \/\^\(a\+\)\+\$\/\n$/);
    expect(r.code).toBe(2);
    const found = await p.run(["blame", "bundle.min.js", "--no-header", "-L", "/^(a+)+!$/,+1"]);
    expect(found.code).toBe(0);
    expect(found.stdout.split("\n")[2]).toMatch(/^-\s+not in traces\s+-\s+1 \| a{100}/);
  });
});

describe("blame --contents", () => {
  it("blames the given text as the file's content, from a file or from stdin", async () => {
    const p = written();
    // The buffer of an editor: line 4 changed, not saved; app.py on disk is untouched.
    const buffer = APP.replace("args = sys.argv[1:]", "args = sys.argv[2:]");
    p.file("buffer.txt", buffer);
    const fromFile = JSON.parse((await p.run(["blame", "app.py", "--json", "--contents", "buffer.txt"])).stdout) as BlameJson;
    expect(fromFile.file).toBe("app.py");
    expect(fromFile.lines[3]).toMatchObject({ text: "    args = sys.argv[2:]", owner: null, reason: "changed-after-ai" });
    expect(fromFile.lines[2]?.owner?.action).toBe("CREATED");
    const fromStdin = await p.run(["blame", "app.py", "--json", "--contents", "-"], { input: buffer });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toEqual(fromFile);
    // The file on disk gives the AI's text back.
    const disk = JSON.parse((await p.run(["blame", "app.py", "--json"])).stdout) as BlameJson;
    expect(disk.lines[3]?.owner?.action).toBe("CREATED");
  });

  it("blames a path that is not on disk (a new buffer), and refuses unreadable or binary contents", async () => {
    const p = written();
    p.file("draft.txt", "import sys\n");
    const r = await p.run(["blame", "moved/app.py", "--json", "--contents", "draft.txt"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as BlameJson).lines).toEqual([
      { line: 1, text: "import sys", owner: null, reason: "not-in-traces" },
    ]);
    const missing = await p.run(["blame", "app.py", "--contents", "nope.txt"]);
    expect([missing.code, missing.stderr]).toEqual([1, "ai-blame: error: cannot read --contents nope.txt (ENOENT)\n"]);
    p.file("blob.bin", Buffer.from([0x41, 0x00, 0x42]));
    const binary = await p.run(["blame", "app.py", "--contents", "blob.bin"]);
    expect([binary.code, binary.stderr]).toEqual([1, "ai-blame: error: --contents blob.bin is binary\n"]);
  });
});

const HOUR = 3_600_000;

/** Three sessions: 3 hours, 4 days and 20 days before now, each creating one file. */
function spreadInTime(): TestProject {
  const p = makeProject();
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  for (const [name, at] of [["recent.txt", 3 * HOUR], ["last-week.txt", 96 * HOUR], ["old.txt", 480 * HOUR]] as const) {
    new ClaudeSession(p.project, { start: ago(at) }).prompt(`Create ${name}`).write(p.path(name), `${name}\n`).save(p.home);
  }
  return p;
}

async function timelineFiles(p: TestProject, args: string[]): Promise<string[]> {
  const r = await p.run(["timeline", "--json", ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as TimelineEntryJson[]).map((e) => e.file);
}

describe("--since/--until relative dates", () => {
  it("reads git's relative forms", async () => {
    const p = spreadInTime();
    expect(await timelineFiles(p, ["--since", "2.days"])).toEqual(["recent.txt"]);
    expect(await timelineFiles(p, ["--since", "3 days ago"])).toEqual(["recent.txt"]);
    expect(await timelineFiles(p, ["--since", "yesterday"])).toEqual(["recent.txt"]);
    expect(await timelineFiles(p, ["--since", "1.week"])).toEqual(["last-week.txt", "recent.txt"]);
    expect(await timelineFiles(p, ["--since", "1.week.2.days.ago"])).toEqual(["last-week.txt", "recent.txt"]);
    expect(await timelineFiles(p, ["--since", "last month", "--until", "1 week ago"])).toEqual(["old.txt"]);
    expect(await timelineFiles(p, ["--until", "2.weeks"])).toEqual(["old.txt"]);
    expect(await timelineFiles(p, ["--since", "5 hours ago", "--until", "now"])).toEqual(["recent.txt"]);
    const stats = await p.run(["stats", "--json", "--since", "2.weeks"]);
    expect(JSON.parse(stats.stdout)).toMatchObject({ events: 2, files: 2 });
  });

  it("refuses what is not a date, and a relative range that ends before it starts", async () => {
    const p = spreadInTime();
    for (const bad of ["soon", "2.fortnights.hence", "ago", "3 parsecs ago"]) {
      const r = await p.run(["timeline", "--since", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/relative date such as 2\.weeks/);
    }
    const reversed = await p.run(["timeline", "--since", "yesterday", "--until", "1.week"]);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/^ai-blame: error: --since \S+ is after --until \S+\n$/);
  });
});

describe("session ids", () => {
  it("prints the shortest prefix unique among the project's sessions, and transcript view takes it", async () => {
    const p = makeProject();
    // Two sessions whose ids share 12 characters (as time-ordered UUIDs of sessions started together do) and a third.
    const ids = ["019a4e53-dcbc-7173-a2b4-9e6273e4bad7", "019a4e53-dcbc-7e01-8c55-04d1f00dbeef", "5f0c2a77-1b2c-4d3e-8f90-a1b2c3d4e5f6"];
    const names = ["first.txt", "second.txt", "third.txt"];
    ids.forEach((id, i) => {
      new ClaudeSession(p.project, { sessionId: id, start: `2025-12-2${i}T10:00:00.000Z` })
        .prompt(`Create ${names[i]}`)
        .write(p.path(names[i] ?? ""), "hello\n")
        .save(p.home);
      p.file(names[i] ?? "", "hello\n");
    });
    const blame = await p.run(["blame", "first.txt", "--no-header"]);
    const printed = blame.stdout.split("\n")[2]?.split(" ")[0] ?? "";
    // The two ids agree on 15 characters ("019a4e53-dcbc-7"), so 16 tell them apart; the column widens to match.
    expect(printed).toBe("019a4e53-dcbc-71");
    expect(blame.stdout.split("\n")[0]).toMatch(/^session {10}model/);
    // A file whose only session has a distinct start keeps 8 characters.
    const third = await p.run(["blame", "third.txt", "--no-header"]);
    expect(third.stdout.split("\n")[2]?.split(" ")[0]).toBe("5f0c2a77");

    const timeline = await p.run(["timeline", "--show-session"]);
    const rows = timeline.stdout.split("\n").filter((l) => /\.txt/.test(l));
    expect(rows.map((r) => r.split(" ")[0])).toEqual(["5f0c2a77-1b2c-4d", "019a4e53-dcbc-7e", "019a4e53-dcbc-71"]);

    for (const [i, id] of ids.entries()) {
      const shown = i === 2 ? "5f0c2a77" : id.slice(0, 16);
      const view = await p.run(["transcript", "view", shown]);
      expect(view.code).toBe(0);
      expect(view.stderr).toBe("");
      expect(view.stdout).toContain(`Session: ${id}`);
    }
  });
});

describe("timeline -n", () => {
  it("limits --json to the newest N, still oldest first; without -n --json prints all", async () => {
    const p = spreadInTime();
    expect(await timelineFiles(p, [])).toEqual(["old.txt", "last-week.txt", "recent.txt"]);
    expect(await timelineFiles(p, ["-n", "2"])).toEqual(["last-week.txt", "recent.txt"]);
    expect(await timelineFiles(p, ["-n", "0"])).toEqual(["old.txt", "last-week.txt", "recent.txt"]);
    const text = await p.run(["timeline", "-n", "1"]);
    expect(text.stdout).toContain("recent.txt");
    expect(text.stdout).not.toContain("old.txt");
  });
});

describe("--agents and --skip-<agent>", () => {
  /** One Claude and one Codex session, each creating its own file. */
  function twoAgents(): TestProject {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("Create a.txt").write(p.path("a.txt"), "a\n").save(p.home);
    new CodexSession(p.project).prompt("Create b.txt").applyPatch("*** Add File: b.txt\n+b\n").save(p.home);
    return p;
  }

  async function agentsOf(p: TestProject, args: string[]): Promise<Record<string, number>> {
    const r = await p.run(["stats", "--json", ...args]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { byAgent: Record<string, number> }).byAgent;
  }

  it("selects agents by the engine's names, and skips any of them", async () => {
    const p = twoAgents();
    expect(await agentsOf(p, [])).toEqual({ "claude-code": 1, "codex-cli": 1 });
    expect(await agentsOf(p, ["--agents", "claude"])).toEqual({ "claude-code": 1 });
    expect(await agentsOf(p, ["--agents", "codex"])).toEqual({ "codex-cli": 1 });
    expect(await agentsOf(p, ["--agents", "Claude, codex"])).toEqual({ "claude-code": 1, "codex-cli": 1 });
    expect(await agentsOf(p, ["--skip-claude"])).toEqual({ "codex-cli": 1 });
    expect(await agentsOf(p, ["--skip-codex"])).toEqual({ "claude-code": 1 });
    expect(await agentsOf(p, ["--only-claude"])).toEqual({ "claude-code": 1 });
    expect(await agentsOf(p, ["--agents", "claude,codex", "--skip-codex"])).toEqual({ "claude-code": 1 });
    const timeline = await p.run(["timeline", "--json", "--agents", "codex"]);
    expect((JSON.parse(timeline.stdout) as TimelineEntryJson[]).map((e) => e.file)).toEqual(["b.txt"]);
  });

  it("offers --skip-<name> and --agents names for every agent of the registry, and refuses others", async () => {
    const p = twoAgents();
    const help = (await p.run(["stats", "--help"])).stdout;
    for (const name of agentNames) expect(help).toContain(`--skip-${name}`);
    expect(help.replace(/\s+/g, " ")).toContain(`(${agentNames.join(", ")})`);
    const unknown = await p.run(["stats", "--agents", "claude,cursor"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(new RegExp(`unknown agent 'cursor'; known: ${agentNames.join(", ")}\\n$`));
    const none = await p.run(["stats", "--agents", "codex", "--skip-codex"]);
    expect([none.code, none.stderr]).toEqual([2, "ai-blame: error: --agents and --skip-… leave no agent to read\n"]);
  });
});
