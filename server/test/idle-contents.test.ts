// The server copies the file contents the index still reads from trace files into the index while idle after its
// first index: with no blame asked, the large pre-edit files of a Claude session are copied, so the built CLI's
// `gc` afterwards finds nothing left, and a blame after the trace is deleted is the one from before. Once blames
// pause, the replays they kept are written (with no index run after them), so the CLI's next blame starts from them.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ClaudeSession, daysAgo } from "./support/claude-trace";
import { LspClient } from "./support/lsp-client";

const cli = resolve(__dirname, "..", "..", "cli", "dist", "ai-blame.js");

describe("copying contents while idle", () => {
  const root = mkdtempSync(join(tmpdir(), "ai-blame-idle-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("copies every pending content after the first index, without a blame", async () => {
    const home = join(root, "home");
    const project = join(root, "project");
    const dataDir = join(root, "data");
    mkdirSync(project, { recursive: true });
    const file = join(project, "big.py");
    const session = new ClaudeSession({ home, project }).prompt("write it", daysAgo(1, 3));
    session.write(file, `${Array.from({ length: 600 }, (_, i) => `value_${i} = compute(${i})  # "line"`).join("\n")}\n`, daysAgo(1, 2));
    session.edit(file, "value_10 = compute(10)", "value_10 = compute_fast(10)", daysAgo(1, 1));
    session.edit(file, "value_300 = compute(300)", "value_300 = compute_fast(300)", daysAgo(1, 0)).flush();
    writeFileSync(file, session.content(file));
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: project, env: { PATH: process.env.PATH, HOME: home, AI_BLAME_DATA_DIR: dataDir }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const eager = run(["blame", "big.py", "--json", "--no-cache"]);
    const client = await LspClient.start({ home, project, dataDir, waitForIndex: true });
    // The first batch starts two seconds after the index; both pre-edit files fit in it.
    await new Promise((done) => setTimeout(done, 4000));
    const unexpected = client.unexpected();
    await client.kill();
    expect(unexpected).toEqual([]);
    expect(JSON.parse(run(["gc", "--json"]))).toEqual({ copied: 0, unavailable: 0 });
    rmSync(session.path);
    expect(run(["blame", "big.py", "--json"])).toBe(eager);
  }, 30_000);

  it("writes the replays its blames kept once blames pause, with no index run after them", async () => {
    const home = join(root, "home-replays");
    const project = join(root, "project-replays");
    const dataDir = join(root, "data-replays");
    mkdirSync(project, { recursive: true });
    const file = join(project, "mod.py");
    const session = new ClaudeSession({ home, project }).prompt("write it", daysAgo(1, 2));
    session.write(file, `${Array.from({ length: 50 }, (_, i) => `value_${i} = compute(${i})`).join("\n")}\n`, daysAgo(1, 1));
    session.edit(file, "value_10 = compute(10)", "value_10 = compute_fast(10)", daysAgo(1, 0)).flush();
    writeFileSync(file, session.content(file));
    const replays = () => {
      try {
        return readdirSync(join(dataDir, "index", "contents", "replays")).filter((name) => name.endsWith(".json"));
      } catch {
        return [];
      }
    };
    const client = await LspClient.start({ home, project, dataDir, waitForIndex: true });
    // Past the idle copy after the index (nothing to copy): no index run or copy follows the blame.
    await new Promise((done) => setTimeout(done, 3000));
    const uri = await client.open(file, session.content(file), "python");
    expect(await client.hover(uri, 10, 2)).not.toBeNull();
    expect(replays()).toEqual([]);
    await new Promise((done) => setTimeout(done, 3500));
    const unexpected = client.unexpected();
    await client.kill();
    expect(unexpected).toEqual([]);
    expect(replays()).toHaveLength(1);
  }, 30_000);
});
