// The line fingerprints parsers record beside each stored content: present exactly where a content key is, and
// equal to a whole pass over that content, also when derived from the previous version of a large file (successive
// Claude edits, CRLF files, another file edited in between).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lineFingerprint } from "../../src/attribution/fingerprint";
import type { EditEvent } from "../../src/events/edit-event";
import type { MemoryContentStore } from "../../src/store/content-store";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { CodexTraceParser } from "../../src/agents/codex/parser";
import { claudeSessionPath, codexRolloutPath, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const SID = "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f";
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

/** Every content key has the fingerprint of its content beside it, and no fingerprint is without a key. */
function expectFingerprints(events: readonly EditEvent[], contents: MemoryContentStore): number {
  let checked = 0;
  for (const e of events) {
    const { before, after, beforeFp, afterFp } = e.change;
    expect(beforeFp === undefined, `${e.toolCallId} before`).toBe(before === undefined || e.action === "DELETED");
    expect(afterFp === undefined, `${e.toolCallId} after`).toBe(after === undefined);
    if (before !== undefined && beforeFp !== undefined) {
      expect(beforeFp).toEqual(lineFingerprint(contents.get(before) as string));
      checked++;
    }
    if (after !== undefined) {
      expect(afterFp).toEqual(lineFingerprint(contents.get(after) as string));
      checked++;
    }
  }
  return checked;
}

describe("fingerprints recorded by the parsers", () => {
  it("Claude: Write, Edit, MultiEdit, overwrite and heredoc contents", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events, contents } = await parseWhole(new ClaudeTraceParser(), path);
    expect(expectFingerprints(events, contents)).toBe(10);
    const edit = events.find((e) => e.toolCallId === "toolu_02Edit");
    expect(edit?.change.beforeFp).toEqual({ ...lineFingerprint("def greet():\n    return 'hi'\n\n\ndef wave():\n    return 'hi'\n"), lines: 6 });
  });

  it("Codex: Add File and heredoc writes carry one, updates and deletes none", async () => {
    const path = placeFixture("codex/rollout.jsonl", codexRolloutPath(`${t.home}/.codex`, "019b6b08-58f3-7580-9dca-fe3f30a10650"), t.project);
    const { events, contents } = await parseWhole(new CodexTraceParser(), path);
    expect(expectFingerprints(events, contents)).toBe(2);
    expect(events.filter((e) => e.change.chunks !== undefined).every((e) => e.change.afterFp === undefined)).toBe(true);
  });

  it("Claude: successive edits of large files (one with CRLF), interleaved, match a whole pass", async () => {
    const cwd = t.project;
    const base = { isSidechain: false, userType: "external", sessionId: SID, version: "2.0.75", gitBranch: "main", cwd };
    const records: object[] = [
      { ...base, parentUuid: null, type: "user", message: { role: "user", content: "refactor" }, uuid: "p", timestamp: "2025-11-02T09:00:00Z" },
    ];
    const files = { lf: { path: `${cwd}/big.py`, eol: "\n" }, crlf: { path: `${cwd}/big.cs`, eol: "\r\n" } };
    const state: Record<string, string[]> = {
      lf: Array.from({ length: 600 }, (_, i) => `value_${i} = compute(${i})`),
      crlf: Array.from({ length: 600 }, (_, i) => `int v${i} = Compute(${i});`),
    };
    for (let k = 0; k < 8; k++) {
      const which = k % 3 === 2 ? "crlf" : "lf";
      const { path, eol } = files[which];
      const lines = state[which] as string[];
      const at = 37 + k * 61;
      const oldString = lines[at] as string;
      const newString = k % 2 === 0 ? `${oldString}  # edited ${k}` : `# ${k}${eol}${oldString}`;
      const originalFile = lines.join(eol) + eol;
      state[which] = [...lines.slice(0, at), ...newString.split(eol), ...lines.slice(at + 1)];
      const id = `toolu_big${k}`;
      const time = (s: number) => `2025-11-02T09:0${k}:${String(s).padStart(2, "0")}Z`;
      records.push(
        { ...base, parentUuid: "p", type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id, name: "Edit", input: { file_path: path, old_string: oldString, new_string: newString } }] }, uuid: `a${k}`, timestamp: time(1) },
        {
          ...base,
          parentUuid: `a${k}`,
          type: "user",
          message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: "ok" }] },
          uuid: `r${k}`,
          timestamp: time(2),
          toolUseResult: { filePath: path, oldString, newString, originalFile, structuredPatch: [], userModified: false, replaceAll: false },
        },
      );
    }
    const path = writeTrace(claudeSessionPath(t.home, t.project, `${SID}.jsonl`), `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const { events, contents } = await parseWhole(new ClaudeTraceParser(), path);
    expect(events).toHaveLength(8);
    expect(expectFingerprints(events, contents)).toBe(16);
    const last = events.find((e) => e.toolCallId === "toolu_big7");
    expect(contents.get(last?.change.after as string)).toBe(`${(state.lf as string[]).join("\n")}\n`);
    expect(last?.change.afterFp?.lines).toBe(603);
  });
});
