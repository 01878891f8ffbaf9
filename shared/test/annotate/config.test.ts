// The annotation config: discovery upward from the project, the built-in default, rule matching (file name vs
// path globs, first match wins), sidecar placeholders, init templates that parse back, and errors that name the
// file, line, column and key instead of silently ignoring a mistake.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinConfig, initTemplate, loadConfig, parseConfig, ruleFor } from "../../src/annotate/config";
import { resolveSidecarPath, splitName } from "../../src/annotate/plan";
import { isAiBlameError } from "../../src/util/errors";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAiBlameError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected an error");
}

describe("config parsing", () => {
  it("reads defaults and ordered rules with every key", () => {
    const config = parseConfig(
      `defaults:\n  policy: sidecar\n  sidecar_pattern: ".history/{name}.yaml"\nrules:\n` +
        `  - pattern: "*.json"\n    policy: append\n    format: json\n` +
        `  - pattern: "src/**"\n    policy: comment\n    comment_syntax: slash\ninclude_session_id: true\n`,
      "/p/.ai-blame.yaml",
    );
    expect(config.includeSessionId).toBe(true);
    expect(config.defaults).toMatchObject({ policy: "sidecar", sidecarPattern: ".history/{name}.yaml", line: 2 });
    expect(config.rules.map((r) => [r.pattern, r.policy, r.format, r.commentSyntax, r.line])).toEqual([
      ["*.json", "append", "json", null, 5],
      ["src/**", "comment", null, "slash", 8],
    ]);
  });

  it("names file, line, column and key for a bad value, an unknown key and invalid YAML", () => {
    const path = "/p/.ai-blame.yaml";
    expect(errorOf(() => parseConfig(`rules:\n  - pattern: "*.py"\n    policy: apend\n`, path))).toBe(
      `bad-config: ${path}:3:13: rules[0].policy: expected one of append, sidecar, comment, skip (got "apend")`,
    );
    expect(errorOf(() => parseConfig(`output:\n  mode: sidecar\n`, path))).toBe(
      `bad-config: ${path}:1:1: output: unknown key (expected one of defaults, rules, include_session_id, path_map, agents, agent_trace_files)`,
    );
    expect(errorOf(() => parseConfig(`rules:\n  - pattern: "*.py"\n    polcy: skip\n`, path))).toBe(
      `bad-config: ${path}:3:5: rules[0].polcy: unknown key (expected one of pattern, policy, format, comment_syntax, sidecar_pattern)`,
    );
    expect(errorOf(() => parseConfig(`rules: [\n`, path))).toMatch(/^bad-config: \/p\/\.ai-blame\.yaml:\d+:\d+: invalid YAML: /);
    expect(errorOf(() => parseConfig(`rules:\n  pattern: x\n`, path))).toBe(`bad-config: ${path}:2:3: rules: expected a list of rules`);
  });

  it("an empty file is an empty config; omitted policy means append (as in the reference)", () => {
    expect(parseConfig("", "/x")).toMatchObject({ defaults: null, rules: [] });
    expect(parseConfig(`rules:\n  - pattern: "*.txt"\n`, "/x").rules[0]?.policy).toBe("append");
  });
});

describe("config discovery", () => {
  it("walks up from the project dir, honours --config and falls back to the built-in default", () => {
    const root = mkdtempSync(join(tmpdir(), "ai-blame-config-"));
    const project = join(root, "repo", "sub");
    mkdirSync(project, { recursive: true });
    expect(loadConfig(project)).toEqual(builtinConfig());
    writeFileSync(join(root, "repo", ".ai-blame.yaml"), `rules:\n  - pattern: "*.md"\n    policy: skip\n`);
    expect(loadConfig(project).path).toBe(join(root, "repo", ".ai-blame.yaml"));
    writeFileSync(join(root, "other.yaml"), `defaults:\n  policy: skip\n`);
    expect(loadConfig(project, join(root, "other.yaml")).defaults?.policy).toBe("skip");
    expect(errorOf(() => loadConfig(project, "missing.yaml"))).toBe(`not-found: config file not found: ${join(project, "missing.yaml")}`);
  });
});

describe("rules", () => {
  it("matches the file name without a slash, the path with one; first match wins, else defaults", () => {
    const config = parseConfig(
      `defaults:\n  policy: sidecar\nrules:\n  - pattern: "tests/**"\n    policy: skip\n  - pattern: "*.py"\n    policy: comment\n`,
      "/x",
    );
    expect(ruleFor(config, "tests/unit/test_a.py")?.policy).toBe("skip");
    expect(ruleFor(config, "src/tests/a.py")?.policy).toBe("comment");
    expect(ruleFor(config, "src/.hidden.py")?.policy).toBe("comment");
    expect(ruleFor(config, "README")?.policy).toBe("sidecar");
    expect(ruleFor(builtinConfig(), "data/x.yml")?.format).toBe("yaml");
  });

  it("the in-place template skips tests before the per-extension rules; both templates parse", () => {
    const inPlace = parseConfig(initTemplate("in-place"), "/x");
    expect(ruleFor(inPlace, "tests/test_main.py")?.policy).toBe("skip");
    expect(ruleFor(inPlace, "src/main.py")).toMatchObject({ policy: "comment", commentSyntax: "hash" });
    expect(ruleFor(inPlace, "docs/guide.md")).toMatchObject({ policy: "comment", commentSyntax: "html" });
    expect(ruleFor(inPlace, "src/app.tsx")).toMatchObject({ policy: "comment", commentSyntax: "slash" });
    const sidecar = parseConfig(initTemplate("sidecar"), "/x");
    expect(sidecar.defaults).toMatchObject({ policy: "sidecar", sidecarPattern: "{stem}.history.yaml" });
    expect(sidecar.rules.map((r) => r.pattern)).toEqual(["tests/**"]);
  });
});

describe("sidecar paths", () => {
  it("replaces placeholders like the reference", () => {
    expect(resolveSidecarPath("src/foo.py", "{stem}.history.yaml")).toBe("src/foo.history.yaml");
    expect(resolveSidecarPath("src/foo.py", "{name}.history.yaml")).toBe("src/foo.py.history.yaml");
    expect(resolveSidecarPath("src/foo.py", ".history/{name}.yaml")).toBe("src/.history/foo.py.yaml");
    expect(resolveSidecarPath("src/foo.py", "history/{dir}/{stem}-{ext}.yaml")).toBe("history/src/foo-py.yaml");
    expect(resolveSidecarPath("foo.py", "{dir}/{stem}.yaml")).toBe("foo.yaml");
    expect(resolveSidecarPath("README", "{stem}.history.yaml")).toBe("README.history.yaml");
    expect(splitName(".gitignore")).toEqual({ stem: ".gitignore", ext: "" });
    expect(splitName("a.tar.gz")).toEqual({ stem: "a.tar", ext: "gz" });
  });
});
