// Trace discovery on temp homes laid out like Claude Code's and Codex's: encoded folder names (with `_`, `.`, long
// paths), subfolder sessions, collisions rejected by cwd, CLAUDE_CONFIG_DIR, CODEX_HOME, archived and compressed
// rollouts, --trace-dir and extra dirs, watch roots, and what cannot be read.

import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverTraces } from "../../src/discovery";
import { claudePathHash, encodeClaudeProjectPath, encodeLegacyVariant, encodeReferenceVariant } from "../../src/agents/claude/folder-names";
import type { CwdCache } from "../../src/discovery/types";
import type { EngineOptions } from "../../src/engine-api";
import { claudeSessionPath, codexRolloutPath, makeTempHome, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

/** A minimal Claude session whose head records `cwd`. */
function claudeSession(cwd: string): string {
  const rec = { parentUuid: null, isSidechain: false, userType: "external", cwd, sessionId: "s", version: "2.0.76", type: "user", message: { role: "user", content: "hi" }, uuid: "u", timestamp: "2025-12-01T10:00:00Z" };
  return `${JSON.stringify({ type: "file-history-snapshot", messageId: "m", snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false })}\n${JSON.stringify(rec)}\n`;
}

/** A minimal Codex rollout whose session_meta records `cwd`. */
function codexRollout(cwd: string): string {
  return `${JSON.stringify({ timestamp: "2025-12-29T16:54:27.851Z", type: "session_meta", payload: { id: "x", cwd, cli_version: "0.77.0", instructions: "i".repeat(5000) } })}\n`;
}

function options(extra: Partial<EngineOptions> = {}): EngineOptions {
  return { projectDir: t.project, home: t.home, env: {}, ...extra };
}

function rel(paths: string[]): string[] {
  return paths.map((p) => p.slice(t.root.length + 1)).sort();
}

describe("Claude folder names", () => {
  it("encode every non-alphanumeric character, with the reference and legacy variants", () => {
    expect(encodeClaudeProjectPath("/Users/alice/my.app")).toBe("-Users-alice-my-app");
    expect(encodeClaudeProjectPath("/home/u/my_repo")).toBe("-home-u-my-repo");
    expect(encodeClaudeProjectPath("/Users/me/.agents")).toBe("-Users-me--agents");
    expect(encodeClaudeProjectPath("C:\\x")).toBe("C--x");
    expect(encodeReferenceVariant("/home/u/my_repo.rs")).toBe("-home-u-my_repo-rs");
    expect(encodeLegacyVariant("/home/u/my_repo.rs")).toBe("-home-u-my_repo.rs");
  });

  it("truncate names past 200 characters and append the base36 string hash", () => {
    // The hash is Java's String.hashCode: "hello".hashCode() == 99162322.
    expect(claudePathHash("hello")).toBe((99162322).toString(36));
    const long = `/srv/${"deep-folder/".repeat(20)}app`;
    const name = encodeClaudeProjectPath(long);
    expect(name.length).toBeGreaterThan(200);
    expect(name).toBe(`${long.replace(/[^a-zA-Z0-9]/g, "-").slice(0, 200)}-${claudePathHash(long)}`);
  });
});

describe("discoverTraces for Claude", () => {
  it("finds sessions by exact name, subfolder prefix and the reference spelling; rejects collisions by cwd", async () => {
    const projects = join(t.home, ".claude", "projects");
    writeTrace(claudeSessionPath(t.home, t.project, "a.jsonl"), claudeSession(t.project));
    writeTrace(claudeSessionPath(t.home, t.project, "s1/subagents/agent-1.jsonl"), claudeSession(t.project));
    writeTrace(claudeSessionPath(t.home, `${t.project}/sub dir`, "b.jsonl"), claudeSession(`${t.project}/sub dir`));
    writeTrace(join(projects, encodeReferenceVariant(t.project), "c.jsonl"), claudeSession(t.project));
    // `work/my-app-v2` encodes to the same folder as `work/my_app.v2`: its file is another project's.
    writeTrace(claudeSessionPath(t.home, t.project, "collision.jsonl"), claudeSession(join(t.root, "work/my-app-v2")));
    // A sibling whose name extends the encoded project name.
    writeTrace(claudeSessionPath(t.home, `${t.project}-old`, "d.jsonl"), claudeSession(`${t.project}-old`));
    const result = await discoverTraces(options());
    expect(rel(result.files.map((f) => f.path))).toEqual(
      [
        claudeSessionPath(t.home, t.project, "a.jsonl"),
        claudeSessionPath(t.home, t.project, "s1/subagents/agent-1.jsonl"),
        claudeSessionPath(t.home, `${t.project}/sub dir`, "b.jsonl"),
        join(projects, encodeReferenceVariant(t.project), "c.jsonl"),
      ].map((p) => p.slice(t.root.length + 1)).sort(),
    );
    expect(result.files.every((f) => f.agent === "claude-code" && !f.compressed && f.size > 0 && f.ino > 0)).toBe(true);
    // The index hears each trace's size as discovery adds it (a first index starts its parse workers from them).
    const heard: number[] = [];
    await discoverTraces(options(), undefined, (bytes) => void heard.push(bytes));
    expect(heard.sort((x, y) => x - y)).toEqual(result.files.map((f) => f.size).sort((x, y) => x - y));
    expect(result.unreadable).toBe(0);
  });

  it("uses CLAUDE_CONFIG_DIR instead of ~/.claude, and also ~/.config/claude", async () => {
    const config = join(t.root, "claude-config");
    writeTrace(claudeSessionPath(t.home, t.project, "ignored.jsonl"), claudeSession(t.project));
    writeTrace(claudeSessionPath(t.home, t.project, "x.jsonl", join(config, "projects")), claudeSession(t.project));
    writeTrace(claudeSessionPath(t.home, t.project, "y.jsonl", join(t.home, ".config", "claude", "projects")), claudeSession(t.project));
    const result = await discoverTraces(options({ home: null, env: { HOME: t.home, CLAUDE_CONFIG_DIR: config } }));
    expect(rel(result.files.map((f) => f.path))).toEqual([
      `claude-config/projects/${encodeClaudeProjectPath(t.project)}/x.jsonl`,
      `home/.config/claude/projects/${encodeClaudeProjectPath(t.project)}/y.jsonl`,
    ]);
  });

  it("reads an explicit --home as given, even when CLAUDE_CONFIG_DIR and CODEX_HOME point elsewhere", async () => {
    const config = join(t.root, "claude-config");
    writeTrace(claudeSessionPath(t.home, t.project, "home.jsonl"), claudeSession(t.project));
    writeTrace(claudeSessionPath(t.home, t.project, "config.jsonl", join(config, "projects")), claudeSession(t.project));
    const result = await discoverTraces(options({ env: { CLAUDE_CONFIG_DIR: config, CODEX_HOME: join(t.root, "codex") } }));
    expect(rel(result.files.map((f) => f.path))).toEqual([`home/.claude/projects/${encodeClaudeProjectPath(t.project)}/home.jsonl`]);
  });

  it("finds long project paths by the hashed name and rejects other long paths sharing the first 200 characters", async () => {
    const longProject = join(t.root, ...Array.from({ length: 18 }, (_, i) => `segment-number-${i}`));
    mkdirSync(longProject, { recursive: true });
    const sibling = `${longProject}-sibling-with-same-prefix`;
    expect(encodeClaudeProjectPath(longProject).slice(0, 200)).toBe(encodeClaudeProjectPath(sibling).slice(0, 200));
    writeTrace(claudeSessionPath(t.home, longProject, "mine.jsonl"), claudeSession(longProject));
    writeTrace(claudeSessionPath(t.home, `${longProject}/pkg`, "sub.jsonl"), claudeSession(`${longProject}/pkg`));
    writeTrace(claudeSessionPath(t.home, sibling, "theirs.jsonl"), claudeSession(sibling));
    const result = await discoverTraces(options({ projectDir: longProject }));
    expect(result.files.map((f) => f.path.split("/").pop()).sort()).toEqual(["mine.jsonl", "sub.jsonl"].sort());
  });

  it("returns watch roots, including the project folder that does not exist yet", async () => {
    const result = await discoverTraces(options());
    const expected = join(t.home, ".claude", "projects", encodeClaudeProjectPath(t.project));
    expect(result.roots).toContainEqual({ path: expected, agent: "claude-code", exists: false });
    expect(result.roots).toContainEqual({ path: join(t.home, ".codex", "sessions"), agent: "codex-cli", exists: false });
    expect(result.files).toEqual([]);
    expect(result.unreadable).toBe(0);
  });
});

describe("discoverTraces for Codex", () => {
  it("keeps rollouts recorded inside the project from sessions/, archived_sessions/ and .jsonl.zst", async () => {
    const codex = join(t.root, "codex-home");
    writeTrace(codexRolloutPath(codex, "in"), codexRollout(`${t.project}/src`));
    writeTrace(codexRolloutPath(codex, "out"), codexRollout(join(t.root, "elsewhere")));
    writeTrace(join(codex, "archived_sessions", "rollout-2025-01-01T00-00-00-arch.jsonl"), codexRollout(t.project));
    const plain = writeTrace(join(t.root, "tmp.jsonl"), codexRollout(t.project));
    writeTrace(codexRolloutPath(codex, "zipped", "2025/11/01", ".jsonl.zst"), execFileSync("zstd", ["-q", "-c", plain]));
    // A plain rollout with its compressed sibling (Codex is still appending): only the plain one.
    writeTrace(codexRolloutPath(codex, "both"), codexRollout(t.project));
    writeTrace(codexRolloutPath(codex, "both", undefined, ".jsonl.zst"), execFileSync("zstd", ["-q", "-c", plain]));
    const result = await discoverTraces(options({ home: null, env: { HOME: t.home, CODEX_HOME: codex } }));
    expect(result.files.map((f) => [f.path.slice(codex.length + 1), f.agent, f.compressed])).toEqual([
      ["archived_sessions/rollout-2025-01-01T00-00-00-arch.jsonl", "codex-cli", false],
      ["sessions/2025/11/01/rollout-2025-12-29T11-54-27-zipped.jsonl.zst", "codex-cli", true],
      ["sessions/2025/12/29/rollout-2025-12-29T11-54-27-both.jsonl", "codex-cli", false],
      ["sessions/2025/12/29/rollout-2025-12-29T11-54-27-in.jsonl", "codex-cli", false],
    ]);
  });

  it("honours the agents toggles", async () => {
    writeTrace(claudeSessionPath(t.home, t.project, "a.jsonl"), claudeSession(t.project));
    writeTrace(codexRolloutPath(join(t.home, ".codex"), "in"), codexRollout(t.project));
    const onlyCodex = await discoverTraces(options({ agents: { claude: false } }));
    expect(onlyCodex.files.map((f) => f.agent)).toEqual(["codex-cli"]);
    const onlyClaude = await discoverTraces(options({ agents: { codex: false } }));
    expect(onlyClaude.files.map((f) => f.agent)).toEqual(["claude-code"]);
  });
});

describe("explicit trace folders", () => {
  it("--trace-dir replaces discovery and takes every trace, agent detected by content", async () => {
    writeTrace(claudeSessionPath(t.home, t.project, "discovered.jsonl"), claudeSession(t.project));
    const dir = join(t.root, "traces");
    placeFixture("claude/session.jsonl", join(dir, "whatever.jsonl"), join(t.root, "other-project"));
    placeFixture("codex/rollout.jsonl", join(dir, "nested", "session-two.jsonl"), join(t.root, "other-project"));
    writeTrace(join(dir, "notes.jsonl"), '{"hello":"world"}\n');
    writeTrace(join(dir, "readme.txt"), "not a trace");
    const result = await discoverTraces(options({ traceDirs: [dir] }));
    expect(result.files.map((f) => [f.path.slice(dir.length + 1), f.agent])).toEqual([
      ["nested/session-two.jsonl", "codex-cli"],
      ["whatever.jsonl", "claude-code"],
    ]);
    expect(result.roots).toEqual([{ path: dir, agent: "claude-code", exists: true }]);
  });

  it("extra trace dirs add to discovery, filtered by cwd", async () => {
    const extra = join(t.root, "extra");
    placeFixture("claude/session.jsonl", join(extra, "mine.jsonl"), t.project);
    placeFixture("claude/session.jsonl", join(extra, "theirs.jsonl"), join(t.root, "other"));
    const result = await discoverTraces(options({ extraTraceDirs: [extra] }));
    expect(result.files.map((f) => f.path)).toEqual([join(extra, "mine.jsonl")]);
  });
});

describe("robustness", () => {
  it("counts vanished entries, survives symlink cycles and reads each file once", async () => {
    const folder = join(t.home, ".claude", "projects", encodeClaudeProjectPath(t.project));
    writeTrace(join(folder, "a.jsonl"), claudeSession(t.project));
    // Listed, but gone by the time it is stat'ed.
    symlinkSync(join(folder, "vanished-target.jsonl"), join(folder, "vanished.jsonl"));
    mkdirSync(join(folder, "loop"));
    symlinkSync(folder, join(folder, "loop", "back"));
    const result = await discoverTraces(options());
    expect(result.files.map((f) => f.path)).toEqual([join(folder, "a.jsonl")]);
    expect(result.unreadable).toBe(1);
  });

  it("lets the event loop run while it walks many traces, except for a command line run (blockingReads)", async () => {
    // More traces than the walk's file system calls between two turns of the event loop (YIELD_EVERY, 200).
    for (let i = 0; i < 250; i++) writeTrace(claudeSessionPath(t.home, t.project, `s${String(i).padStart(3, "0")}.jsonl`), claudeSession(t.project));
    const turnsDuring = async (extra: Partial<EngineOptions>): Promise<{ paths: string[]; turned: boolean }> => {
      let turned = false;
      setImmediate(() => void (turned = true));
      const result = await discoverTraces(options(extra));
      return { paths: result.files.map((f) => f.path), turned };
    };
    const served = await turnsDuring({});
    const commandLine = await turnsDuring({ blockingReads: true });
    expect(served.paths).toHaveLength(250);
    expect(commandLine.paths).toEqual(served.paths);
    expect(served.turned).toBe(true);
    expect(commandLine.turned).toBe(false);
  });

  it("treats a missing home or trace folder as empty", async () => {
    const result = await discoverTraces(options({ home: join(t.root, "no-such-home") }));
    expect(result.files).toEqual([]);
    expect(result.unreadable).toBe(0);
    const missing = join(t.root, "no-such-traces");
    const explicit = await discoverTraces(options({ traceDirs: [missing] }));
    expect(explicit).toEqual({ files: [], roots: [{ path: missing, agent: "claude-code", exists: false }], unreadable: 0, pathMap: [] });
  });

  it("caches head reads by size and mtime and notices a rewritten file", async () => {
    // A subfolder-session folder (not the project's exact name) holding a session recorded elsewhere: not ours.
    const path = writeTrace(claudeSessionPath(t.home, `${t.project}/inside`, "a.jsonl"), claudeSession(join(t.root, "other")));
    const cache: CwdCache = new Map();
    expect((await discoverTraces(options(), cache)).files).toEqual([]);
    expect(cache.get(path)?.cwd).toBe(join(t.root, "other"));
    writeFileSync(path, claudeSession(`${t.project}/inside/deeper`));
    expect((await discoverTraces(options(), cache)).files.map((f) => f.path)).toEqual([path]);
  });

  it("finds the first cwd past the head's first 4 KB, and one whose text crosses that point, with its head checksum", async () => {
    const folder = join(t.home, ".claude", "projects", encodeClaudeProjectPath(t.project));
    // A long first record without a cwd (a summary), then the session: its cwd starts after 4 KB.
    const summary = (length: number) => `${JSON.stringify({ type: "summary", summary: "s".repeat(length), leafUuid: "l" })}\n`;
    const late = writeTrace(join(folder, "late.jsonl"), summary(6000) + claudeSession(t.project));
    // A first record padded so that the session's cwd text begins just before 4096 bytes and ends after.
    const at = (summary(0) + claudeSession(t.project)).indexOf(`"cwd":"`);
    const crossing = writeTrace(join(folder, "crossing.jsonl"), summary(4090 - at) + claudeSession(t.project));
    // The same, recorded in the project whose name encodes to the same folder: left out (its cwd is read whole).
    const other = join(t.root, "work/my-app-v2");
    const otherAt = (summary(0) + claudeSession(other)).indexOf(`"cwd":"`);
    writeTrace(join(folder, "other.jsonl"), summary(4090 - otherAt) + claudeSession(other));
    const cache: CwdCache = new Map();
    expect((await discoverTraces(options(), cache)).files.map((f) => f.path)).toEqual([crossing, late]);
    for (const path of [late, crossing]) {
      const text = readFileSync(path, "utf8");
      const end = text.indexOf(`"cwd":"${t.project}"`) + `"cwd":"${t.project}"`.length;
      expect(end).toBeGreaterThan(4096);
      expect(cache.get(path)).toMatchObject({ cwd: t.project, head: [end, crc32(Buffer.from(text.slice(0, end)))] });
    }
  });

  it("keeps a grown trace's cwd by a checksum of its first bytes, and reads a rewritten one's head again", async () => {
    const inside = `${t.project}/inside`;
    const path = writeTrace(claudeSessionPath(t.home, inside, "a.jsonl"), claudeSession(inside));
    const cache: CwdCache = new Map();
    expect((await discoverTraces(options(), cache)).files.map((f) => f.path)).toEqual([path]);
    // The bytes through the end of the first cwd, and their CRC-32.
    const head = cache.get(path)?.head;
    expect(head?.[0]).toBe(claudeSession(inside).indexOf(`"cwd":"${inside}"`) + `"cwd":"${inside}"`.length);
    // Appended records (another cwd among them: the first decides) keep it, checked by its first bytes alone.
    appendFileSync(path, claudeSession(join(t.root, "other")));
    expect((await discoverTraces(options(), cache)).files.map((f) => f.path)).toEqual([path]);
    expect(cache.get(path)).toMatchObject({ cwd: inside, head });
    // Rewritten in place, larger, recorded elsewhere: its first bytes differ, so its head is read again.
    writeFileSync(path, claudeSession(join(t.root, "other")).repeat(3));
    expect((await discoverTraces(options(), cache)).files).toEqual([]);
    expect(cache.get(path)?.cwd).toBe(join(t.root, "other"));
  });
});
