// A real formatter over the AI-written files of the bundled example: `ruff format` (from PyPI, installed once into a
// cache folder under node_modules/.cache) re-indents every line to 2 spaces and splits long lines at 60 columns.
// Afterwards at least 95% of the AI-written lines must still be attributed to the edit that wrote them (through the
// built CLI); with --strict-whitespace most are not, which shows the formatter really changed them.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { createExampleHome, type ExampleHome } from "../../tests/support/example-home";
import { repoRoot, runCli } from "./support/run-cli";

const RUFF_VERSION = "0.17.6";
const toolDir = join(repoRoot, "node_modules", ".cache", "ai-blame-test-tools", `ruff-${RUFF_VERSION}`);
const ruff = join(toolDir, "bin", "ruff");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

/** Installs ruff with pip into the cache folder unless it is there already. */
function installRuff(): void {
  if (existsSync(ruff)) return;
  mkdirSync(toolDir, { recursive: true });
  const r = spawnSync("python3", ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", toolDir, `ruff==${RUFF_VERSION}`], {
    encoding: "utf8",
    timeout: 240_000,
  });
  if (r.status !== 0 || !existsSync(ruff)) throw new Error(`pip could not install ruff ${RUFF_VERSION}: ${r.stderr}`);
}

const FILES = ["tasklog/cli.py", "tasklog/store.py", "tasklog/__init__.py"];

async function blame(ex: ExampleHome, file: string, extra: string[] = []): Promise<BlameJson> {
  const r = await runCli(["blame", file, "--json", "--dir", ex.project, "--home", ex.home, ...extra], { cwd: ex.project });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as BlameJson;
}

const squeeze = (text: string) => text.replace(/\s+/g, "");

/**
 * How many of the AI-written, non-blank lines of `before` are still attributed to their edit in `after`: the line's
 * whitespace-free text must be found, in order, in the whitespace-free text of the lines `after` gives that edit.
 */
function keptLines(before: BlameJson, after: BlameJson): { written: number; kept: number } {
  const textByEvent = new Map<string, string>();
  for (const line of after.lines) {
    if (line.owner) textByEvent.set(line.owner.eventId, (textByEvent.get(line.owner.eventId) ?? "") + squeeze(line.text));
  }
  const from = new Map<string, number>();
  let written = 0;
  let kept = 0;
  for (const line of before.lines) {
    const text = squeeze(line.text);
    if (!line.owner || text === "") continue;
    written++;
    const id = line.owner.eventId;
    const at = (textByEvent.get(id) ?? "").indexOf(text, from.get(id) ?? 0);
    if (at < 0) continue;
    kept++;
    from.set(id, at + text.length);
  }
  return { written, kept };
}

describe.skipIf(!hasPython)("ruff format over the example's AI-written Python files", () => {
  let ex: ExampleHome;
  beforeAll(async () => {
    installRuff();
    ex = await createExampleHome();
  }, 300_000);
  afterAll(() => ex?.cleanup());

  it("keeps at least 95% of the AI-written lines with their edit", async () => {
    const before = new Map<string, BlameJson>();
    for (const file of FILES) before.set(file, await blame(ex, file));
    const format = spawnSync(
      ruff,
      ["format", "--isolated", "--config", "indent-width=2", "--config", "line-length=60", "--config", 'format.quote-style="preserve"', ...FILES],
      { cwd: ex.project, encoding: "utf8" },
    );
    expect(format.status, format.stderr).toBe(0);
    expect(format.stdout + format.stderr).toMatch(/2 files reformatted/);

    let written = 0;
    let kept = 0;
    let strictKept = 0;
    let flagged = 0;
    for (const file of FILES) {
      const after = await blame(ex, file);
      const counts = keptLines(before.get(file) as BlameJson, after);
      written += counts.written;
      kept += counts.kept;
      flagged += after.lines.filter((l) => l.reformatted).length;
      strictKept += keptLines(before.get(file) as BlameJson, await blame(ex, file, ["--strict-whitespace"])).kept;
    }
    console.log(`ruff format: ${kept}/${written} AI-written lines kept (${strictKept} with --strict-whitespace), ${flagged} flagged reformatted`);
    expect(written).toBeGreaterThan(60);
    expect(kept / written).toBeGreaterThanOrEqual(0.95);
    expect(flagged).toBeGreaterThan(50);
    expect(strictKept / written).toBeLessThan(0.6);
  });
});
