// Repository-wide rules that keep the architecture honest (ARCHITECTURE.md lists them as invariants): the engine
// imports no editor or terminal code and writes to no stream, adapters reach the engine only through its façade,
// adapters never import each other (except the CLI's `lsp` command), and source files stay small and documented.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|require\(\s*"([^"]+)"\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3]) as string);
  return specs;
}

const rel = (f: string): string => relative(root, f);

describe("architecture", () => {
  it("the engine imports only node built-ins, its own modules and its pure-JS libraries", () => {
    const allowed = new Set(["yaml", "picomatch", "diff", "fzstd"]);
    const bad: string[] = [];
    for (const f of sourceFiles("shared/src")) {
      for (const s of importsOf(f)) {
        if (s.startsWith("node:") || s.startsWith(".")) continue;
        if (!allowed.has(s)) bad.push(`${rel(f)} imports ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the engine never writes to the console or the process streams and never exits", () => {
    const bad: string[] = [];
    for (const f of sourceFiles("shared/src")) {
      const text = readFileSync(f, "utf8");
      for (const pattern of [/\bconsole\./, /process\.stdout/, /process\.stderr/, /process\.exit/]) {
        if (pattern.test(text)) bad.push(`${rel(f)} uses ${pattern.source}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("cli/ and server/ reach the engine only through its façade", () => {
    const bad: string[] = [];
    for (const dir of ["cli/src", "server/src"]) {
      for (const f of sourceFiles(dir)) {
        for (const s of importsOf(f)) {
          if (s.includes("shared/src") || (s.startsWith("@ai-blame/shared/") && s !== "@ai-blame/shared/contract")) {
            bad.push(`${rel(f)} imports ${s}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("adapters do not import each other, except the CLI's lsp command importing the server entry", () => {
    const bad: string[] = [];
    const check = (dir: string, forbidden: RegExp, except?: (file: string, spec: string) => boolean): void => {
      for (const f of sourceFiles(dir)) {
        for (const s of importsOf(f)) {
          if (forbidden.test(s) && !(except?.(rel(f), s))) bad.push(`${rel(f)} imports ${s}`);
        }
      }
    };
    check("cli/src", /@ai-blame\/server|(^|\/)server\/|client-vscode/, (f, s) => f === "cli/src/commands/lsp.ts" && s === "@ai-blame/server");
    check("server/src", /(^|\/)cli\/|client-vscode|^vscode$/);
    check("client-vscode/src", /@ai-blame\/server|(^|\/)server\/src|(^|\/)cli\//);
    expect(bad).toEqual([]);
  });

  it("the VS Code client imports from the engine only its plain-data contract", () => {
    const bad: string[] = [];
    for (const f of sourceFiles("client-vscode/src")) {
      for (const s of importsOf(f)) {
        if (s.startsWith("@ai-blame/shared") && s !== "@ai-blame/shared/contract") bad.push(`${rel(f)} imports ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("source files stay under 450 lines and start with a header comment", () => {
    const bad: string[] = [];
    for (const dir of ["shared/src", "cli/src", "server/src", "client-vscode/src"]) {
      for (const f of sourceFiles(dir)) {
        const text = readFileSync(f, "utf8");
        const lines = text.split("\n").length;
        if (lines > 450) bad.push(`${rel(f)} has ${lines} lines`);
        if (!/^(#!.*\n)?\s*\/\//.test(text)) bad.push(`${rel(f)} has no header comment`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("one helper for common prefixes and suffixes, and one spelling of normalize", () => {
    const bad: string[] = [];
    for (const dir of ["shared/src", "cli/src", "server/src", "client-vscode/src"]) {
      for (const f of sourceFiles(dir)) {
        const text = readFileSync(f, "utf8");
        if (/function\s+common(Prefix|Suffix)/.test(text) && !rel(f).endsWith("util/common-affix.ts")) bad.push(`${rel(f)} has its own common prefix/suffix`);
        if (/normalis/i.test(text)) bad.push(`${rel(f)} writes normaliz- with an s`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the façade exports no value that no adapter uses (types of results may stay)", () => {
    const facade = readFileSync(join(root, "shared/src/index.ts"), "utf8");
    const values: string[] = [];
    for (const m of facade.matchAll(/export\s+\{([^}]*)\}/g)) {
      for (const part of (m[1] ?? "").split(",")) {
        const name = part.trim().split(/\s+as\s+/).pop()?.trim() ?? "";
        if (name !== "" && !name.startsWith("type ")) values.push(name);
      }
    }
    const adapters = ["cli/src", "server/src", "client-vscode/src", "cli/test", "server/test", "tests"].flatMap((d) => sourceFiles(d));
    const text = adapters.map((f) => readFileSync(f, "utf8")).join("\n");
    expect(values.filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
  });
});
