// Path normalization used by discovery and parsers: absolute, `..` resolved, `/` separators, no trailing slash;
// containment and project-relative paths by path segments, never by raw string prefix.

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
});
