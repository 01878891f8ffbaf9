// Where the durable index lives: the override, XDG, the default, and never inside the agents' own folders.

import { join } from "node:path";
import { expect, it } from "vitest";
import { defaultDataDir } from "../../src/store/data-dir";

const home = "/home/alice";

it("prefers AI_BLAME_DATA_DIR, then an absolute XDG_DATA_HOME, then ~/.local/share", () => {
  expect(defaultDataDir({ AI_BLAME_DATA_DIR: "/tmp/x", XDG_DATA_HOME: "/xdg" }, home)).toBe("/tmp/x");
  expect(defaultDataDir({ XDG_DATA_HOME: "/xdg" }, home)).toBe("/xdg/ai-blame");
  expect(defaultDataDir({ XDG_DATA_HOME: "relative/dir" }, home)).toBe(join(home, ".local/share/ai-blame"));
  expect(defaultDataDir({ AI_BLAME_DATA_DIR: "" }, home)).toBe(join(home, ".local/share/ai-blame"));
  expect(defaultDataDir({}, home)).toBe(join(home, ".local/share/ai-blame"));
});

it("never puts the index inside ~/.claude, ~/.codex or their overrides", () => {
  expect(defaultDataDir({ AI_BLAME_DATA_DIR: "/home/alice/.claude/ai-blame" }, home)).toBe(join(home, ".local/share/ai-blame"));
  expect(defaultDataDir({ XDG_DATA_HOME: "/home/alice/.codex" }, home)).toBe(join(home, ".local/share/ai-blame"));
  expect(defaultDataDir({ CODEX_HOME: "/data/codex", AI_BLAME_DATA_DIR: "/data/codex/idx" }, home)).toBe(join(home, ".local/share/ai-blame"));
  // A sibling whose name merely starts the same is fine.
  expect(defaultDataDir({ AI_BLAME_DATA_DIR: "/home/alice/.claude-index" }, home)).toBe("/home/alice/.claude-index");
});
