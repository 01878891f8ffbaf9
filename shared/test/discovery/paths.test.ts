// Path normalization used by discovery and parsers: absolute, `..` resolved, `/` separators, no trailing slash;
// containment and project-relative paths by path segments, never by raw string prefix.

import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { isInside, normalizePath, resolveAgentPath, toProjectRelative } from "../../src/util/paths";

describe("paths", () => {
  it("normalizes to absolute paths with / and no trailing slash", () => {
    expect(normalizePath("/a/b/../c/")).toBe("/a/c");
    expect(normalizePath("x/y", "/base")).toBe("/base/x/y");
    expect(normalizePath("/")).toBe("/");
    expect(normalizePath("c:\\Users\\me\\..\\x")).toBe("C:/Users/x");
    expect(normalizePath("src\\a.ts", "D:\\proj")).toBe("D:/proj/src/a.ts");
  });

  it("tests containment by segments", () => {
    expect(isInside("/p/app", "/p/app")).toBe(true);
    expect(isInside("/p/app", "/p/app/src/x.ts")).toBe(true);
    expect(isInside("/p/app", "/p/app-old/x.ts")).toBe(false);
    expect(isInside("/p/app/", "/p/app/../app/y")).toBe(true);
    expect(isInside("/", "/anything")).toBe(true);
  });

  it("makes project-relative paths, absolute when outside", () => {
    expect(toProjectRelative("/p/app", "/p/app/src/x.ts")).toBe("src/x.ts");
    expect(toProjectRelative("/p/app", "/p/app")).toBe(".");
    expect(toProjectRelative("/p/app", "/p/apple/x")).toBe("/p/apple/x");
  });

  it("resolves recorded agent paths against the agent's cwd, refusing ~ and empty paths", () => {
    expect(resolveAgentPath("src/a.py", "/p/app")).toBe("/p/app/src/a.py");
    expect(resolveAgentPath("../b.py", "/p/app/docs")).toBe("/p/app/b.py");
    expect(resolveAgentPath("/abs/c.py", null)).toBe("/abs/c.py");
    expect(resolveAgentPath("rel.py", null)).toBeNull();
    expect(resolveAgentPath("~/x", "/p")).toBeNull();
    expect(resolveAgentPath("", "/p")).toBeNull();
  });
  it("returns an absolute path already in normal form as it is, and resolves every other spelling of it", () => {
    // Every combination of segments that normal form rules out (empty, `.`, `..`, a trailing slash, a backslash)
    // and names that only look like them (`.cache`, `..x`, `a.`): each gives what resolving by POSIX rules gives.
    const parts = ["", ".", "..", ".cache", "..x", "a.", "b", "c\\d"];
    for (const a of parts) for (const b of parts) for (const c of ["", "/", "/.", "/..", "/e"]) {
      const path = `/${a}/${b}${c}`;
      const expected = posix.resolve(path).replace(/\\/g, "/");
      expect(normalizePath(path), path).toBe(expected.length > 1 ? expected.replace(/\/+$/, "") : expected);
    }
    const recorded = "/root/.cache/ai-blame-bench/200MB/project/src/core/engine.py";
    expect(normalizePath(recorded)).toBe(recorded);
    expect(resolveAgentPath(recorded, "/elsewhere")).toBe(recorded);
  });
});
