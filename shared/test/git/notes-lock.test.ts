import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NOTES_LOCK, withNotesLock } from "../../src/git/notes-lock";
import type { Repository } from "../../src/git/repository";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): Repository {
  const dir = mkdtempSync(join(tmpdir(), "notes-lock-"));
  dirs.push(dir);
  const r: Repository = { root: dir, gitDir: dir, commonDir: dir };
  return r;
}

describe("withNotesLock", () => {
  it("holds the lock with its pid while the work runs, and releases it after", async () => {
    const r = repo();
    const lock = join(r.commonDir, NOTES_LOCK);
    const seen = await withNotesLock(r, async () => readFileSync(lock, "utf8"));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose writer has died", async () => {
    const r = repo();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(r.commonDir, NOTES_LOCK), `${dead}\n`);
    expect(await withNotesLock(r, async () => "ran")).toBe("ran");
  });

  it("waits for a live holder and runs once that holder is gone", async () => {
    const r = repo();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const lock = join(r.commonDir, NOTES_LOCK);
    writeFileSync(lock, `${holder.pid}\n`);
    let ran = false;
    const done = withNotesLock(r, async () => {
      ran = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(false);
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    holder.kill("SIGKILL");
    await exited;
    await done;
    expect(ran).toBe(true);
  });
});
