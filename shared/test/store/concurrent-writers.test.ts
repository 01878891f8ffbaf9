// Two real processes rewriting the same index at once must leave it loadable and complete: every file is replaced
// atomically, so whatever interleaving happens, a later reader finds whole files and needs to re-read nothing.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openTraceIndex } from "../../src/store/trace-index";
import { editCallLine, editResultLine, noiseLine, promptLine, type SessionCtx, writeCallLine, writeResultLine } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";
import { createMiniClaudeParser } from "./support/mini-claude-parser";

let box: Sandbox;
let writer: string;
beforeAll(() => {
  box = makeSandbox();
  writer = join(box.root, "index-writer.cjs");
  buildSync({
    entryPoints: [join(__dirname, "support", "index-writer.ts")],
    outfile: writer,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
  });
});
afterAll(() => box.cleanup());

function runWriter(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [writer, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

it("two processes writing the same index at once leave it whole and complete", async () => {
  const paths: string[] = [];
  for (let s = 0; s < 6; s++) {
    const ctx: SessionCtx = { sessionId: `sess-${s}`, cwd: "/proj" };
    let text = promptLine(ctx, "2025-04-01T09:00:00.000Z", "go");
    for (let i = 0; i < 20; i++) {
      const ts = `2025-04-01T09:${String(i).padStart(2, "0")}:00.000Z`;
      const file = `/proj/src/s${s}/f${i}.ts`;
      text += writeCallLine(ctx, ts, `toolu_${s}_${i}`, file, `// ${s} ${i}\n`.repeat(50));
      text += noiseLine(ctx, ts, 5000);
      text += writeResultLine(ctx, ts, `toolu_${s}_${i}`, file, `// ${s} ${i}\n`.repeat(50));
      // Edit events carry their old/new strings inline, which makes each trace record tens of kilobytes.
      const old = `// ${s} ${i}\n`.repeat(50);
      text += editCallLine(ctx, ts, `toolu_e_${s}_${i}`, file, old, old.toUpperCase());
      text += editResultLine(ctx, ts, `toolu_e_${s}_${i}`, file, old, old, old.toUpperCase());
    }
    const path = join(box.traces, `sess-${s}.jsonl`);
    writeFileSync(path, text);
    paths.push(path);
  }
  const [one, two] = await Promise.all([
    runWriter([box.dataDir, "proj", "25", ...paths]),
    runWriter([box.dataDir, "proj", "25", ...paths]),
  ]);
  expect(one).toEqual({ code: 0, stdout: '{"events":240}\n', stderr: "" });
  expect(two).toEqual({ code: 0, stdout: '{"events":240}\n', stderr: "" });

  const log = recordingLog();
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "proj", log });
  // Loaded before any update: the project's trace list and every record are whole.
  expect(index.events()).toHaveLength(240);
  const parser = createMiniClaudeParser();
  const result = await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
  expect(result.filesRead).toBe(0);
  expect(log.lines).toEqual([]);
  const first = index.events()[0];
  expect(index.contents.get(first?.change.after ?? "")).toBe("// 0 0\n".repeat(50));
});
