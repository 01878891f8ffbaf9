// The index with the production parsers (shared/src/traces): a Claude session and a Codex rollout indexed in
// several appends — cut mid-line and between a call and its result — must give exactly the events and sessions of
// one cold parse, and a deleted rollout keeps answering.

import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openTraceIndex } from "../../src/store/trace-index";
import { parsersByAgent } from "../../src/traces";
import { editCallLine, editResultLine, noiseLine, promptLine, type SessionCtx, writeCallLine, writeResultLine } from "./support/claude-lines";
import { discovered, makeSandbox, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

function claudeSession(project: string): string {
  const ctx: SessionCtx = { sessionId: "5b1c2d3e-0000-4000-8000-00000000000a", cwd: project };
  const file = join(project, "src/app.ts");
  let content = "export function main() {\n  return 0;\n}\n";
  let text = promptLine(ctx, "2025-05-01T08:00:00.000Z", "create the app");
  text += writeCallLine(ctx, "2025-05-01T08:00:01.000Z", "toolu_w", file, content);
  text += writeResultLine(ctx, "2025-05-01T08:00:02.000Z", "toolu_w", file, content);
  for (let i = 0; i < 6; i++) {
    const ts = `2025-05-01T08:0${i + 1}:00.000Z`;
    const oldString = `  return ${i};\n`;
    const newString = `  return ${i + 1};\n`;
    text += promptLine(ctx, ts, `bump the return value to ${i + 1}`);
    text += editCallLine(ctx, ts, `toolu_e${i}`, file, oldString, newString);
    text += noiseLine(ctx, ts, 3000);
    text += editResultLine(ctx, ts, `toolu_e${i}`, file, content, oldString, newString);
    content = content.replace(oldString, newString);
  }
  return text;
}

function codexRollout(project: string): string {
  const line = (timestamp: string, type: string, payload: unknown) => `${JSON.stringify({ timestamp, type, payload })}\n`;
  const id = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  let text = line("2025-05-02T09:00:00.000Z", "session_meta", { id, timestamp: "2025-05-02T09:00:00.000Z", cwd: project, originator: "codex_cli_rs", cli_version: "0.46.0", instructions: null, git: { branch: "main" } });
  for (let i = 0; i < 4; i++) {
    const ts = `2025-05-02T09:0${i + 1}:00.000Z`;
    text += line(ts, "turn_context", { cwd: project, approval_policy: "on-request", sandbox_policy: { mode: "workspace-write" }, model: "gpt-5-codex", summary: "auto" });
    text += line(ts, "response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `add module ${i}` }] });
    text += line(ts, "response_item", { type: "reasoning", summary: [], encrypted_content: "x".repeat(4000) });
    const patch = `*** Begin Patch\n*** Add File: ${join(project, `lib/m${i}.py`)}\n+def f${i}():\n+    return ${i}\n*** End Patch`;
    text += line(ts, "response_item", { type: "custom_tool_call", status: "completed", call_id: `call_${i}`, name: "apply_patch", input: patch });
    text += line(ts, "response_item", { type: "custom_tool_call_output", call_id: `call_${i}`, output: JSON.stringify({ output: `Success. Updated the following files:\nA lib/m${i}.py\n`, metadata: { exit_code: 0, duration_seconds: 0.1 } }) });
  }
  return text;
}

async function incremental(path: string, agent: "claude-code" | "codex-cli", text: string, cuts: number[]) {
  writeFileSync(path, "");
  let done = 0;
  for (const cut of [...cuts, text.length]) {
    appendFileSync(path, text.slice(done, cut));
    done = cut;
    const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p" });
    await index.update([discovered(path, agent)], parsersByAgent);
    await index.flush();
  }
  const warm = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p" });
  const result = await warm.update([discovered(path, agent)], parsersByAgent);
  expect(result.filesRead).toBe(0);
  const cold = await openTraceIndex({ dataDir: null, mode: "off", projectKey: "cold" });
  await cold.update([discovered(path, agent)], parsersByAgent);
  return { warm, cold };
}

it("Claude: appends in pieces index to the same events and sessions as a cold parse", async () => {
  const text = claudeSession(box.project);
  const lines = text.split(/(?<=\n)/);
  const at = (n: number) => lines.slice(0, n).join("").length;
  // Mid-line, right after a tool_use (its result comes later), and after a prompt.
  const cuts = [at(3) + 17, at(5), at(9) + 1, at(14)];
  const path = join(box.traces, "5b1c2d3e-0000-4000-8000-00000000000a.jsonl");
  const { warm, cold } = await incremental(path, "claude-code", text, cuts);
  expect(cold.events()).toHaveLength(7);
  expect(warm.events()).toEqual(cold.events());
  expect(warm.sessions()).toEqual(cold.sessions());
  const last = warm.events().at(-1);
  expect(last?.promptText).toContain("bump the return value to 6");
  expect(warm.contents.get(last?.change.before ?? "")).toBe(cold.contents.get(last?.change.before ?? ""));
});

it("Codex: appends in pieces index to the same events as a cold parse, kept after the rollout is deleted", async () => {
  const text = codexRollout(box.project);
  const lines = text.split(/(?<=\n)/);
  const at = (n: number) => lines.slice(0, n).join("").length;
  const dir = join(box.root, "home", ".codex", "sessions", "2025", "05", "02");
  const path = join(dir, "rollout-2025-05-02T09-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl");
  mkdirSync(dir, { recursive: true });
  const cuts = [at(1), at(5), at(6) + 40, at(15)];
  const { warm, cold } = await incremental(path, "codex-cli", text, cuts);
  expect(cold.events().map((e) => e.file)).toEqual([0, 1, 2, 3].map((i) => join(box.project, `lib/m${i}.py`)));
  expect(warm.events()).toEqual(cold.events());
  expect(warm.sessions()).toEqual(cold.sessions());

  rmSync(path);
  const after = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p" });
  await after.update([], parsersByAgent);
  expect(after.events()).toEqual(cold.events());
  expect(after.stats.eventsFromDeletedTraces).toBe(4);
});

it("keeps the stored events of a trace that vanishes between discovery and reading, and says so", async () => {
  const path = join(box.traces, "5b1c2d3e-0000-4000-8000-00000000000a.jsonl");
  writeFileSync(path, claudeSession(box.project));
  const first = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p" });
  await first.update([discovered(path)], parsersByAgent);
  await first.flush();
  appendFileSync(path, claudeSession(box.project).slice(0, 500));
  const stale = discovered(path);
  rmSync(path);
  const warnings: string[] = [];
  const log = { error: () => undefined, warn: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined };
  const second = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p", log });
  const result = await second.update([stale], parsersByAgent);
  expect(result.unreadable).toBe(1);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(path);
  expect(second.events()).toHaveLength(7);
});
