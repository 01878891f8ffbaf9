// The project view (index/views/) through the built CLI: `stats` and `blame` answer from it exactly as a fresh index
// does after a trace grows, after the view is damaged, and after a trace is deleted (whose edits the view keeps as
// the records do); an append adds to the view file rather than rewriting it.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const fresh: string[] = [];
afterAll(() => {
  for (const dir of fresh) rmSync(dir, { recursive: true, force: true });
});

function numbered(from: number, to: number): string {
  let text = "";
  for (let i = from; i <= to; i++) text += `line ${i}\n`;
  return text;
}

async function answers(p: TestProject, dataDir?: string): Promise<{ stats: unknown; blame: unknown; stderr: string }> {
  const env = dataDir === undefined ? {} : { env: { AI_BLAME_DATA_DIR: dataDir } };
  const stats = await p.run(["stats", "--json"], env);
  expect(stats.code, stats.stderr).toBe(0);
  const blame = await p.run(["blame", "src/app.ts", "--json"], env);
  expect(blame.code, blame.stderr).toBe(0);
  expect(stats.stderr + blame.stderr).not.toMatch(/^\s+at /m);
  return { stats: JSON.parse(stats.stdout) as unknown, blame: JSON.parse(blame.stdout) as unknown, stderr: stats.stderr + blame.stderr };
}

/** What an index built from nothing answers now. */
async function freshAnswers(p: TestProject): Promise<{ stats: unknown; blame: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), "ai-blame-fresh-"));
  fresh.push(dir);
  const { stats, blame } = await answers(p, dir);
  return { stats, blame };
}

function viewFile(p: TestProject): string {
  const dir = join(p.data, "index", "views");
  // Beside it: the event table (`.rows`), which has tests of its own.
  const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  expect(names).toHaveLength(1);
  return join(dir, names[0] ?? "");
}

it("stats and blame from the view equal a fresh index's after an append and after damage to the view", async () => {
  const p = makeProject();
  const file = p.path("src/app.ts");
  const v1 = numbered(1, 40);
  const session = new ClaudeSession(p.project).prompt("write the app").write(file, v1, null, "claude-opus-4-5-20251101");
  p.file("src/app.ts", v1);
  session.save(p.home);
  const other = new ClaudeSession(p.project, { model: "claude-sonnet-4-5-20250929" }).prompt("add b").write(p.path("src/b.ts"), "b\n");
  p.file("src/b.ts", "b\n");
  other.save(p.home);

  const first = await answers(p);
  expect({ stats: first.stats, blame: first.blame }).toEqual(await freshAnswers(p));
  const before = readFileSync(viewFile(p));

  // The agent goes on: the same trace grows by one edit.
  const v2 = v1.replace("line 7\n", "line seven\n");
  session.edit(file, v1, "line 7\n", "line seven\n", false, "claude-haiku-4-5-20251001");
  p.file("src/app.ts", v2);
  session.save(p.home);
  const grown = await answers(p);
  expect({ stats: grown.stats, blame: grown.blame }).toEqual(await freshAnswers(p));
  expect(grown.stats).toMatchObject({ events: 3, byModel: { "claude-haiku-4-5-20251001": 1 } });
  const after = readFileSync(viewFile(p));
  expect(after.length).toBeGreaterThan(before.length);
  expect(after.subarray(0, before.length)).toEqual(before);

  // A flipped bit in the view: not used, rewritten, the same answers.
  const damaged = Buffer.from(after);
  damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0x04;
  writeFileSync(viewFile(p), damaged);
  // Without its kept replay (whose unchanged sources would spare the blame reading any event), the blame reads the view.
  rmSync(join(p.data, "index", "contents", "replays"), { recursive: true, force: true });
  const healed = await answers(p);
  expect({ stats: healed.stats, blame: healed.blame }).toEqual({ stats: grown.stats, blame: grown.blame });
  expect(healed.stderr).toBe("");
  expect(readFileSync(viewFile(p))).not.toEqual(damaged);
});

it("a deleted trace's edits are kept from the view as from the records", async () => {
  const p = makeProject();
  const file = p.path("src/app.ts");
  const v1 = numbered(1, 20);
  const session = new ClaudeSession(p.project).prompt("write the app").write(file, v1, null, "claude-opus-4-5-20251101");
  p.file("src/app.ts", v1);
  session.save(p.home);
  const kept = new ClaudeSession(p.project, { model: "claude-sonnet-4-5-20250929" }).prompt("add b").write(p.path("src/b.ts"), "b\n");
  p.file("src/b.ts", "b\n");
  const gone = kept.save(p.home);
  await answers(p);
  rmSync(gone);
  const first = await answers(p);
  expect(first.stats).toMatchObject({ events: 2, eventsFromDeletedTraces: 1 });
  const fromView = await answers(p);
  expect(fromView.stats).toEqual(first.stats);
  rmSync(viewFile(p));
  const fromRecords = await answers(p);
  expect({ stats: fromRecords.stats, blame: fromRecords.blame }).toEqual({ stats: fromView.stats, blame: fromView.blame });
});
