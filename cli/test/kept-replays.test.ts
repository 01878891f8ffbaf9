// Replays kept between blames, through the built CLI on real Claude traces: a blame keeps where its replay of the
// file's events ended, the next blame of the same history starts from there (whatever the text on disk is now) and
// answers as a fresh index does; a history that grew, a damaged or forged-invalid kept replay, and a replay that
// missed a content are replayed again.

import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeFrame, readFrames } from "../../shared/src/store/frames";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

/** A 600-line module (over the size from which contents are referenced), written and then edited three times. */
function editedModule(): { p: TestProject; session: ClaudeSession; text: string; trace: string } {
  const p = makeProject();
  const file = p.path("src/mod.py");
  let text = `${Array.from({ length: 600 }, (_, i) => `def step_${i}(x):\n    return x + ${i}  # "q" \\ t`).join("\n")}\n`;
  const session = new ClaudeSession(p.project).prompt("write the module").write(file, text);
  for (const [i, n] of [[20, 1], [300, 2], [590, 3]] as const) {
    const old = `    return x + ${i}  #`;
    const next = `    return x * ${n} + ${i}  # edit ${n}`;
    session.edit(file, text, old, next);
    text = text.replace(old, next);
  }
  const trace = session.save(p.home);
  p.file("src/mod.py", text.replace("def step_400(x):", "def step_400(x):  # by hand"));
  return { p, session, text, trace };
}

async function outputs(p: TestProject, data?: string): Promise<string[]> {
  const out: string[] = [];
  for (const flags of [["--json"], [], ["--porcelain"]]) {
    const r = await p.run(["blame", "src/mod.py", ...flags], data === undefined ? {} : { env: { AI_BLAME_DATA_DIR: data } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    out.push(r.stdout);
  }
  return out;
}

/** The blame of a fresh index (its own data folder) of the project as it is now. */
async function fresh(p: TestProject): Promise<string[]> {
  const data = join(p.root, `fresh-${Math.random().toString(36).slice(2)}`);
  try {
    return await outputs(p, data);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

const replaysDir = (p: TestProject): string => join(p.data, "index", "contents", "replays");
function keptFiles(p: TestProject): string[] {
  try {
    return readdirSync(replaysDir(p)).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
}

/** The kept replay's frames: its head (key, sources, owners) and its state (chain and claims). */
function keptFrames(p: TestProject): Buffer[] {
  return readFrames(readFileSync(join(replaysDir(p), keptFiles(p)[0] ?? ""))).frames;
}

/** The kept replay's head and state, edited by `edit`, written back in valid frames. */
function rewriteKept(p: TestProject, edit: (head: { final?: unknown }, state: { chain: { owners: number[] } }) => void): void {
  const [head, state] = keptFrames(p).map((frame) => JSON.parse(frame.toString("utf8")));
  edit(head, state);
  writeFileSync(join(replaysDir(p), keptFiles(p)[0] ?? ""), Buffer.concat([encodeFrame(JSON.stringify(head)), encodeFrame(JSON.stringify(state))]));
}

describe("kept replays", () => {
  it("a warm blame starts from the kept replay, with the text on disk as it is now, and answers as a fresh index", async () => {
    const { p, text } = editedModule();
    const first = await outputs(p);
    expect(keptFiles(p)).toHaveLength(1);
    expect(await outputs(p)).toEqual(first);
    expect(first).toEqual(await fresh(p));
    // A person edits the file again: the kept replay still holds (same history); only the last diff differs, and
    // the owners it gave the new text are kept beside it.
    const [head, state] = keptFrames(p);
    p.file("src/mod.py", `# header\n${text.replace("def step_100(x):\n", "")}`);
    const warm = await outputs(p);
    const [newHead, newState] = keptFrames(p);
    expect(newState).toEqual(state);
    expect(newHead).not.toEqual(head);
    expect(warm).toEqual(await fresh(p));
    expect(warm).not.toEqual(first);
  });

  it("the kept replay is what a warm blame starts from (a valid one with other owners shows them)", async () => {
    const { p } = editedModule();
    const first = await outputs(p);
    // Every line owned by the first event (the Write) in the kept chain: lines the Edits wrote now show the Write.
    rewriteKept(p, (head, state) => {
      state.chain.owners = state.chain.owners.map(() => 0);
      // The owners kept for the text on disk (from the chain before this edit) would answer first.
      delete head.final;
    });
    type Owned = { lines: { owner: { toolCallId: string } | null }[] };
    const callsOf = (json: string) => new Set((JSON.parse(json) as Owned).lines.flatMap((l) => (l.owner ? [l.owner.toolCallId] : [])));
    expect(callsOf(first[0] ?? "").size).toBe(4);
    expect(callsOf((await outputs(p))[0] ?? "").size).toBe(1);
  });

  it("replays again when the history grew, or the kept replay is damaged or names an event the history has not", async () => {
    const { p, session, text } = editedModule();
    await outputs(p);
    const before = keptFiles(p).map((name) => readFileSync(join(replaysDir(p), name)));
    // One more Edit appended to the trace: another history, replayed and kept anew.
    const file = p.path("src/mod.py");
    session.edit(file, text, "    return x + 5  #", "    return x - 5  #");
    session.save(p.home);
    p.file("src/mod.py", text.replace("    return x + 5  #", "    return x - 5  #"));
    const grown = await outputs(p);
    expect(grown).toEqual(await fresh(p));
    expect(keptFiles(p).map((name) => readFileSync(join(replaysDir(p), name)))).not.toEqual(before);
    // A flipped byte: not a frame that verifies.
    const path = join(replaysDir(p), keptFiles(p)[0] ?? "");
    const bytes = readFileSync(path);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0x04;
    writeFileSync(path, bytes);
    expect(await outputs(p)).toEqual(grown);
    // A frame that verifies but names an event past the history's: refused, replayed again.
    rewriteKept(p, (head, state) => {
      state.chain.owners[0] = 99;
      delete head.final;
    });
    expect(await outputs(p)).toEqual(grown);
    // Edited by hand: the owners its text was given are kept (as runs of one owner code). Runs naming an event past
    // the history's, or fewer lines than the text has, are not used.
    p.file("src/mod.py", `# by hand\n${text.replace("    return x + 5  #", "    return x - 5  #")}`);
    const edited = await outputs(p);
    expect(edited).toEqual(await fresh(p));
    rewriteKept(p, (head) => {
      (head.final as { runs: number[] }).runs[0] = 99;
    });
    expect(await outputs(p)).toEqual(edited);
    rewriteKept(p, (head) => {
      (head.final as { runs: number[] }).runs[1] = 1;
    });
    expect(await outputs(p)).toEqual(edited);
  });

  it("keeps no replay that missed a content (it may come back), and replays it each time", async () => {
    const { p, trace } = editedModule();
    // Indexed without copying anything, then the trace goes: the referenced contents are unavailable.
    expect((await p.run(["stats", "--json"])).code).toBe(0);
    rmSync(trace);
    const r = await p.run(["blame", "src/mod.py", "--json", "-v"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("are not available");
    expect(keptFiles(p)).toEqual([]);
  });
});

describe("kept replays with their history's sources", () => {
  const headOf = (p: TestProject) => JSON.parse((keptFrames(p)[0] ?? Buffer.alloc(0)).toString("utf8")) as { history?: { sources: string; scope?: string } };

  it("a blame of an unchanged history reads no event; other sources, another history and a deleted trace answer as a fresh index", async () => {
    const { p, session, text } = editedModule();
    const first = await outputs(p);
    const sources = headOf(p).history?.sources;
    expect(sources).toMatch(/^[0-9a-f]{40}$/);
    // The history's sources are unchanged: the blame reads no event, so a damaged project view is not even read.
    const viewDir = join(p.data, "index", "views");
    const view = join(viewDir, readdirSync(viewDir).find((name) => name.endsWith(".json")) ?? "");
    const damaged = readFileSync(view);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0x04;
    writeFileSync(view, damaged);
    expect(await outputs(p)).toEqual(first);
    expect(readFileSync(view)).toEqual(damaged);
    // Another session edits another file: the scope changed, the records holding the module's edits did not (found
    // from the event table's rows); the new scope is kept for the next blame.
    const scope = headOf(p).history?.scope;
    expect(scope).toMatch(/^[0-9a-f]{40}$/);
    new ClaudeSession(p.project, { start: "2026-01-01T10:00:00.000Z" }).prompt("other").write(p.path("src/unrelated.py"), "u = 1\n").save(p.home);
    p.file("src/unrelated.py", "u = 1\n");
    expect(await outputs(p)).toEqual(first);
    expect(headOf(p).history?.sources).toBe(sources);
    expect(headOf(p).history?.scope).not.toBe(scope);

    // The session goes on with another file: its record changed, the module's history did not (kept under the new sources).
    const [, state] = keptFrames(p);
    session.write(p.path("src/other.py"), "x = 1\n");
    p.file("src/other.py", "x = 1\n");
    const trace = session.save(p.home);
    expect(await outputs(p)).toEqual(first);
    expect(keptFrames(p)[1]).toEqual(state);
    expect(headOf(p).history?.sources).not.toBe(sources);
    expect(first).toEqual(await fresh(p));

    // Another session edits the module: another history.
    const next = text.replace("    return x + 7  #", "    return x - 7  #");
    new ClaudeSession(p.project, { start: "2026-01-02T10:00:00.000Z" }).prompt("flip 7").edit(p.path("src/mod.py"), text, "    return x + 7  #", "    return x - 7  #").save(p.home);
    p.file("src/mod.py", next);
    const grown = await outputs(p);
    expect(grown).not.toEqual(first);
    expect(grown).toEqual(await fresh(p));

    // The first session's trace is deleted: its edits stay (from the index), its record is no longer a live trace's.
    rmSync(trace);
    const kept = await outputs(p);
    expect(kept).toEqual(grown);
    expect(headOf(p).history?.sources).not.toBe(sources);
  });

  it("a file whose history has no creation is looked up again as a rename target once a file with edits vanished", async () => {
    const p = makeProject();
    const before = `${Array.from({ length: 10 }, (_, i) => `v${i} = ${i}`).join("\n")}\n`;
    const after = before.replace("v3 = 3", "v3 = 33");
    const moved = `${Array.from({ length: 30 }, (_, i) => `def helper_${i}(value):  # moved helper ${i}`).join("\n")}\n`;
    new ClaudeSession(p.project).prompt("tweak").edit(p.path("src/a.py"), before, "v3 = 3", "v3 = 33").write(p.path("src/helpers.py"), moved).save(p.home);
    p.file("src/helpers.py", moved);
    // A person moved the helpers into a.py (helpers.py still on disk: no rename is looked for).
    p.file("src/a.py", after + moved);
    const blame = async (data?: string) => (await p.run(["blame", "src/a.py", "--porcelain"], data === undefined ? {} : { env: { AI_BLAME_DATA_DIR: data } })).stdout;
    const first = await blame();
    expect(await blame()).toBe(first);
    // helpers.py goes: a.py's history is now found to include it, whatever the kept replay says.
    rmSync(p.path("src/helpers.py"));
    const renamed = await blame();
    expect(renamed).not.toBe(first);
    expect(renamed).toBe(await blame(join(p.root, "fresh-renamed")));
    expect(await blame()).toBe(renamed);
  });
});

describe("session ids kept with the scope", () => {
  it("the session column widens when a session sharing the prefix appears, as a fresh index shows it", async () => {
    const p = makeProject();
    const text = "a = 1\nb = 2\n";
    new ClaudeSession(p.project, { sessionId: "abcdef12-3456-4000-8000-000000000001" }).prompt("p").write(p.path("a.py"), text).save(p.home);
    p.file("a.py", text);
    const table = async () => (await p.run(["blame", "a.py"])).stdout;
    const first = await table();
    expect(await table()).toBe(first);
    expect(first).toContain("abcdef12 ");
    // Another session, another file, whose id shares the first 12 characters: the same blame now needs 13.
    new ClaudeSession(p.project, { sessionId: "abcdef12-3457-4000-8000-000000000002", start: "2026-01-05T10:00:00.000Z" })
      .prompt("q")
      .write(p.path("b.py"), "c = 3\n")
      .save(p.home);
    p.file("b.py", "c = 3\n");
    const widened = await table();
    expect(widened).toContain("abcdef12-3456 ");
    expect(await table()).toBe(widened);
    expect(widened).toBe((await p.run(["blame", "a.py"], { env: { AI_BLAME_DATA_DIR: join(p.root, "fresh-ids") } })).stdout);
  });
});
