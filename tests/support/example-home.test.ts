// Checks the bundled example end to end: materialization (paths, encoding, escaping, refusal to clobber), that the
// committed templates match their generator, and that the traces are self-consistent when replayed independently:
// every recorded originalFile equals the file as the earlier edits left it, every structuredPatch turns it into the
// edit's result, and the replayed files equal examples/project except where a human edited afterwards.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { applyPatch } from "diff";
import { afterEach, describe, expect, it } from "vitest";
import { createExampleHome, expectedExample, type ExampleHome } from "./example-home";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const homes: ExampleHome[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

async function home(): Promise<ExampleHome> {
  const h = await createExampleHome();
  homes.push(h);
  return h;
}

// biome-ignore lint/suspicious/noExplicitAny: the test walks trace records of every shape by field name.
type Json = Record<string, any>;
const readJsonl = (path: string): Json[] =>
  readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Json);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

interface PatchKit {
  parseApplyPatch(text: string): Array<
    | { kind: "add"; path: string; lines: string[] }
    | { kind: "delete"; path: string }
    | { kind: "update"; path: string; chunks: Array<{ context: string | null; old: string[]; new: string[]; endOfFile: boolean }> }
  >;
  applyUpdateChunks(content: string, path: string, chunks: unknown): string;
}

describe("materializeExample", () => {
  it("writes the project and relocated traces into a home laid out like a real one", async () => {
    const h = await home();
    expect(h.claudeProjectDir).toBe(join(h.home, ".claude", "projects", h.project.replace(/[^A-Za-z0-9]/g, "-")));
    const projectFiles = listFiles(h.project).map((p) => relative(h.project, p).split("\\").join("/")).sort();
    expect(projectFiles).toEqual(Object.keys(expectedExample().blame).sort());
    const rel = h.traces.map((t) => relative(h.home, t).split("\\").join("/")).sort();
    expect(rel.filter((p) => p.startsWith(".codex/"))).toEqual([
      expect.stringMatching(/^\.codex\/sessions\/2025\/11\/03\/rollout-2025-11-03T09-12-44-[0-9a-f-]{36}\.jsonl$/),
      expect.stringMatching(/^\.codex\/sessions\/2025\/11\/04\/rollout-2025-11-04T10-05-10-[0-9a-f-]{36}\.jsonl$/),
    ]);
    expect(rel.filter((p) => p.includes("/subagents/agent-"))).toHaveLength(1);
    for (const trace of h.traces) {
      const text = readFileSync(trace, "utf8");
      expect(text).not.toContain("@PROJECT@");
      for (const r of readJsonl(trace)) {
        const cwd = r.cwd ?? (r.type === "session_meta" || r.type === "turn_context" ? r.payload.cwd : undefined);
        if (cwd !== undefined) expect(cwd).toBe(h.project);
        if (typeof r.toolUseResult === "object" && typeof r.toolUseResult?.filePath === "string") {
          expect(r.toolUseResult.filePath.startsWith(`${h.project}/`)).toBe(true);
        }
      }
    }
  });

  it("escapes paths with quotes, backslashes and spaces at every JSON level", async () => {
    const mod = (await import(pathToFileURL(join(repoRoot, "scripts", "materialize-example.mjs")).href)) as {
      materializeExample(dest: string): Omit<ExampleHome, "cleanup">;
    };
    const base = mkdtempSync(join(tmpdir(), "ai-blame-ex-"));
    try {
      const odd = process.platform === "win32" ? join(base, "my app (1)") : join(base, 'my "app" \\ [1]');
      const h = mod.materializeExample(odd);
      expect(h.claudeProjectDir.endsWith(h.project.replace(/[^A-Za-z0-9]/g, "-"))).toBe(true);
      const rollout = h.traces.find((t) => t.includes("2025-11-03T09"))!;
      const outputs = readJsonl(rollout).filter((r) => r.payload?.type === "custom_tool_call_output");
      const inner = JSON.parse(outputs[0]!.payload.output as string) as { output: string };
      expect(inner.output).toContain(`A ${h.project}/config.yaml`);
      const calls = readJsonl(rollout).filter((r) => r.payload?.type === "function_call");
      expect((JSON.parse(calls[0]!.payload.arguments as string) as { workdir: string }).workdir).toBe(h.project);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("replaces its own earlier output but refuses a folder it did not create", () => {
    const base = mkdtempSync(join(tmpdir(), "ai-blame-ex-"));
    try {
      const script = join(repoRoot, "scripts", "materialize-example.mjs");
      const first = execFileSync(process.execPath, [script, join(base, "a")], { encoding: "utf8" });
      expect(JSON.parse(first)).toEqual({ home: join(base, "a", "home"), project: join(base, "a", "project") });
      execFileSync(process.execPath, [script, join(base, "a")]);
      mkdirSync(join(base, "b", "home"), { recursive: true });
      const refused = spawnSync(process.execPath, [script, join(base, "b")], { encoding: "utf8" });
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain("was not made by this script");
      const usage = spawnSync(process.execPath, [script], { encoding: "utf8" });
      expect(usage.status).toBe(2);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe("the example's traces", () => {
  it("match their generator", () => {
    const run = spawnSync(process.execPath, [join(repoRoot, "examples", "tools", "build-example.mjs"), "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("replay consistently into the project files", async () => {
    const h = await home();
    const kit = (await import(pathToFileURL(join(repoRoot, "examples", "tools", "fixture-kit.mjs")).href)) as PatchKit;
    const expected = expectedExample();
    const toRel = (p: string) => (p.startsWith(`${h.project}/`) ? p.slice(h.project.length + 1) : p);

    // Collect every successful edit of every trace with its time, then replay them in time order.
    type Step = { timestamp: string; toolCallId: string; model: string; apply: (state: Map<string, string>) => string[] };
    const steps: Step[] = [];
    const mismatches: string[] = [];
    for (const trace of h.traces.filter((t) => t.includes("/.claude/"))) {
      const models = new Map<string, string>();
      for (const r of readJsonl(trace)) {
        for (const block of r.type === "assistant" ? (r.message.content as Json[]) : []) {
          if (block.type === "tool_use") models.set(block.id as string, r.message.model as string);
        }
        const result = r.type === "user" && Array.isArray(r.message.content) ? (r.message.content as Json[])[0] : undefined;
        if (result?.type !== "tool_result") continue;
        const tur = r.toolUseResult;
        if (result.is_error === true) {
          expect(typeof tur).toBe("string");
          expect(tur).toMatch(/^Error: /);
          continue;
        }
        if (typeof tur !== "object" || typeof tur.filePath !== "string" || !("structuredPatch" in tur)) continue;
        const file = toRel(tur.filePath as string);
        steps.push({
          timestamp: r.timestamp as string,
          toolCallId: result.tool_use_id as string,
          model: models.get(result.tool_use_id as string) ?? "?",
          apply: (state) => {
            const recorded = (tur.type === "create" ? null : (tur.originalFile ?? tur.originalFileContents)) as string | null;
            if (tur.type === "create") expect(state.has(file)).toBe(false);
            else if (recorded !== state.get(file)) mismatches.push(file);
            let after: string;
            if (typeof tur.content === "string") after = tur.content as string;
            else if (Array.isArray(tur.edits)) {
              after = (tur.edits as Json[]).reduce(
                (text: string, e) => (e.replace_all ? text.split(e.old_string).join(e.new_string) : text.replace(e.old_string, () => e.new_string as string)),
                recorded as string,
              );
            } else {
              const { oldString, newString } = tur as { oldString: string; newString: string };
              after = tur.replaceAll ? recorded!.split(oldString).join(newString) : recorded!.replace(oldString, () => newString);
            }
            if (recorded !== null) expect(applyPatch(recorded, { oldFileName: "a", newFileName: "b", oldHeader: "", newHeader: "", hunks: tur.structuredPatch })).toBe(after);
            state.set(file, after);
            return [file];
          },
        });
      }
    }
    for (const trace of h.traces.filter((t) => t.includes("/.codex/"))) {
      const records = readJsonl(trace);
      let model = "?";
      const calls = new Map<string, string>();
      for (const r of records) {
        if (r.type === "turn_context") model = r.payload.model as string;
        if (r.payload?.type === "custom_tool_call") calls.set(r.payload.call_id as string, `${model}\n${r.payload.input as string}`);
        if (r.payload?.type !== "custom_tool_call_output") continue;
        const [callModel, patch] = calls.get(r.payload.call_id as string)!.split(/\n(.*)/s) as [string, string];
        if ((JSON.parse(r.payload.output as string) as { metadata: { exit_code: number } }).metadata.exit_code !== 0) continue;
        steps.push({
          timestamp: r.timestamp as string,
          toolCallId: r.payload.call_id as string,
          model: callModel,
          apply: (state) =>
            kit.parseApplyPatch(patch).map((op) => {
              const file = toRel(op.path);
              if (op.kind === "add") state.set(file, op.lines.map((l) => `${l}\n`).join(""));
              else if (op.kind === "delete") state.delete(file);
              else state.set(file, kit.applyUpdateChunks(state.get(file)!, file, op.chunks));
              return file;
            }),
        });
      }
    }
    for (const trace of h.traces.filter((t) => t.includes("/.gemini/"))) {
      // A message is written again under its id as it progresses: the last write stands.
      const messages = new Map<string, Json>();
      for (const r of readJsonl(trace)) if (typeof r.id === "string") messages.set(r.id, r);
      for (const m of messages.values()) {
        for (const call of m.type === "gemini" ? ((m.toolCalls ?? []) as Json[]) : []) {
          const diff = call.resultDisplay as Json;
          if (call.status !== "success" || typeof diff?.newContent !== "string") continue;
          const file = toRel(diff.filePath as string);
          steps.push({
            timestamp: call.timestamp as string,
            toolCallId: call.id as string,
            model: m.model as string,
            apply: (state) => {
              if ((diff.originalContent ?? null) !== (state.get(file) ?? null)) mismatches.push(file);
              state.set(file, diff.newContent as string);
              return [file];
            },
          });
        }
      }
    }
    const models = new Map<string, string>();
    for (const trace of h.traces.filter((t) => t.includes("/opencode/storage/message/"))) {
      const message = JSON.parse(readFileSync(trace, "utf8")) as Json;
      if (message.role === "assistant") models.set(message.id as string, message.modelID as string);
    }
    for (const trace of h.traces.filter((t) => t.includes("/opencode/storage/part/"))) {
      const part = JSON.parse(readFileSync(trace, "utf8")) as Json;
      if (part.type !== "tool" || part.state?.status !== "completed") continue;
      const file = toRel(part.state.input.filePath as string);
      const diff = part.state.metadata?.filediff as Json | undefined;
      steps.push({
        timestamp: new Date(part.state.time.end as number).toISOString(),
        toolCallId: part.callID as string,
        model: models.get(part.messageID as string) ?? "?",
        apply: (state) => {
          if (part.tool === "write") state.set(file, part.state.input.content as string);
          else {
            if (diff?.before !== state.get(file)) mismatches.push(file);
            state.set(file, diff?.after as string);
          }
          return [file];
        },
      });
    }
    steps.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    const state = new Map<string, string>();
    const seen = steps.flatMap((s) => s.apply(state).map((file) => ({ file, toolCallId: s.toolCallId, model: s.model })));

    expect(seen).toEqual(expected.events.map((e) => ({ file: e.file, toolCallId: e.toolCallId, model: e.model })));
    // The human set the timezone in config.yaml between Codex creating it and Claude editing it.
    expect(mismatches).toEqual(["config.yaml"]);
    const changedAfter = new Set<string>();
    for (const [file, lines] of Object.entries(expected.blame)) {
      const onDisk = readFileSync(join(h.project, file), "utf8");
      if (lines.some((l) => l.reason === "changed-after-ai")) changedAfter.add(file);
      else if (lines.every((l) => l.reason === "not-in-traces")) expect(state.has(file)).toBe(false);
      else expect(state.get(file)).toBe(onDisk);
    }
    expect([...changedAfter].sort()).toEqual(["README.md", "tasklog/cli.py"]);
    expect(state.has("scripts/bootstrap.sh")).toBe(false);
    expect(new Set(expected.events.map((e) => e.model))).toEqual(
      new Set(["gpt-5.1-codex", "gpt-5.1-codex-max", "claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "gemini-2.5-pro", "claude-sonnet-4-5"]),
    );
  });
});
