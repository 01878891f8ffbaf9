// `transcript search` on hand-written Claude Code and Codex traces, through the built CLI: the reference's table and
// JSON, any case unless -s, -e regular expressions, the session/agent/model/date filters, -n, at most three snippets
// per session, and queries whose text is stored escaped in the JSONL (non-ASCII escapes, Codex's JSON-in-JSON tool
// arguments) — the raw-bytes check that skips files must never hide a match.

import { appendFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, CodexSession } from "./support/traces";

let p: TestProject;
let claude: ClaudeSession;
let codex: CodexSession;

beforeAll(() => {
  p = makeProject();
  claude = new ClaudeSession(p.project, { start: "2025-12-28T15:20:00.000Z" })
    .prompt("Write a short poem about tides into poem.md")
    .reply("I will write the POEM now; tides come and go, and so does this line of filler text around it.")
    .write(p.path("poem.md"), "Tides rise\nTides fall\n")
    .reply("Done: the poem is in poem.md.")
    .prompt("Add a café note");
  const claudeTrace = claude.save(p.home);
  // A record written by an encoder that escapes non-ASCII characters.
  const escaped = {
    parentUuid: null, isSidechain: false, userType: "external", cwd: p.project, sessionId: claude.sessionId,
    version: "2.0.75", gitBranch: "main", type: "user", uuid: "escaped-1", timestamp: "2025-12-28T15:30:00.000Z",
    message: { role: "user", content: "Note for the caf\u00e9 owners" },
  };
  appendFileSync(claudeTrace, `${JSON.stringify(escaped).replace("\u00e9", "\\u00e9")}\n`);

  codex = new CodexSession(p.project, { model: "gpt-5-codex", start: "2026-01-05T09:00:00.000Z" })
    .prompt("Shorten the Poem please")
    .applyPatch(`*** Update File: ${p.path("poem.md")}\n@@\n-Tides fall\n+Tides\n`);
  const codexTrace = codex.save(p.home);
  // A shell call: Codex stores its arguments as a JSON string inside the JSON record.
  const call = {
    timestamp: "2026-01-05T09:01:00.000Z",
    type: "response_item",
    payload: { type: "function_call", name: "shell", arguments: JSON.stringify({ command: ["bash", "-lc", "wc -l poem.md"], workdir: p.project }), call_id: "call_wc" },
  };
  appendFileSync(codexTrace, `${JSON.stringify(call)}\n`);
});

describe("transcript search", () => {
  it("prints the reference's table: any case, newest session first, at most three snippets each", async () => {
    const r = await p.run(["transcript", "search", "poem"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual(["", "=== Search Results for 'poem' ===", "Found 2 matching transcripts", ""]);
    expect(lines[4]).toMatch(new RegExp(`^${codex.sessionId} \\| codex-cli \\| 2026-01-05 09:00 \\| \\d+ msgs$`));
    expect(lines[5]).toBe("  └─ [text] Shorten the Poem please");
    const claudeRow = lines.findIndex((l) => l.startsWith(claude.sessionId));
    expect(lines[claudeRow]).toBe(`${claude.sessionId} | claude-code | 2025-12-28 15:20 | 7 msgs`);
    const snippets = lines.slice(claudeRow + 1).filter((l) => l.startsWith("  └─ "));
    expect(snippets).toHaveLength(3);
    expect(snippets[0]).toBe("  └─ [text] Write a short poem about tides into poem.md");
    expect(snippets[1]).toBe("  └─ [text] I will write the POEM now; tides come and go, and so does this line of filler tex...");
    // A snippet keeps a fixed context each side of the match: with a long temp path it is cut with "..." there.
    expect(snippets[2]).toMatch(/^ {2}└─ \[tool\] (\{"file_path":"|\.\.\.).*poem\.md","content":"Tides rise\\nTides( fall\\n"\}|.*\.\.\.)$/);
    expect(lines.at(-2)).toBe("Use 'ai-blame transcript view <session-id>' to view a transcript");
  });

  it("-s matches case; a query that matches nothing says so and exits 0", async () => {
    const r = await p.run(["transcript", "search", "-s", "Poem"]);
    expect(r.stdout).toContain("Found 1 matching transcript\n");
    expect(r.stdout).toContain(codex.sessionId);
    const none = await p.run(["transcript", "search", "nothing like this"]);
    expect(none).toMatchObject({ code: 0, stdout: "\nNo transcripts found matching 'nothing like this'\n" });
  });

  it("finds text the trace stores escaped: a \\u00e9 escape and Codex's JSON-in-JSON tool arguments", async () => {
    const cafe = await p.run(["transcript", "search", "café owners", "--json"]);
    const json = JSON.parse(cafe.stdout) as { matchingTranscripts: Array<{ matches: Array<{ snippet: string }> }>; totalMatches: number };
    expect(json.totalMatches).toBe(1);
    expect(json.matchingTranscripts[0]?.matches.map((m) => m.snippet)).toContain("Note for the café owners");
    const wc = await p.run(["transcript", "search", "wc -l poem"]);
    const tool = wc.stdout.split("\n").find((l) => l.startsWith("  └─ [tool] "));
    const full = `  └─ [tool] {"command":["bash","-lc","wc -l poem.md"],"workdir":"${p.project}"}`;
    // The arguments read as JSON, not as an escaped string; a long temp path after the match is cut with "...".
    expect(tool === full || (tool?.endsWith("...") && full.startsWith(tool.slice(0, -3)) && tool.length > 60)).toBe(true);
  });

  it("filters by agent, model, session, start date; -n limits the sessions shown", async () => {
    const ids = async (args: string[]): Promise<string[]> => {
      const r = await p.run(["transcript", "search", "poem", "--json", ...args]);
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as { matchingTranscripts: Array<{ transcript: { sessionId: string } }> }).matchingTranscripts.map((h) => h.transcript.sessionId);
    };
    expect(await ids(["--agent", "CODEX"])).toEqual([codex.sessionId]);
    expect(await ids(["--model", "opus"])).toEqual([claude.sessionId]);
    expect(await ids(["--session", claude.sessionId.slice(0, 8)])).toEqual([claude.sessionId]);
    expect(await ids(["--since", "2026-01-01"])).toEqual([codex.sessionId]);
    expect(await ids(["--until", "2025-12-28"])).toEqual([claude.sessionId]);
    const limited = await p.run(["transcript", "search", "poem", "-n", "1"]);
    expect(limited.stdout).toContain("... showing 1 of 2 matches (use -n 0 for all)\n");
    const json = JSON.parse((await p.run(["transcript", "search", "poem", "-n", "1", "--json"])).stdout) as { matchingTranscripts: unknown[]; totalMatches: number };
    expect(json.matchingTranscripts).toHaveLength(1);
    expect(json.totalMatches).toBe(2);
  });

  it("-e takes a regular expression; a bad one is one usage error line", async () => {
    const r = await p.run(["transcript", "search", "-e", "tides? (rise|come)", "--json"]);
    const json = JSON.parse(r.stdout) as { matchingTranscripts: Array<{ matches: Array<{ blockType: string; snippet: string }> }> };
    expect(json.matchingTranscripts).toHaveLength(1);
    expect(json.matchingTranscripts[0]?.matches[0]?.snippet).toContain("tides come and go");
    const bad = await p.run(["transcript", "search", "-e", "(unclosed"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^ai-blame: error: invalid regex pattern: .*\n$/);
  });

  it("escapes control characters of trace text in the table", async () => {
    const q = makeProject();
    new ClaudeSession(q.project).prompt("ring the \u001b]0;owned\u0007 bell").save(q.home);
    const r = await q.run(["transcript", "search", "bell"]);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("␛]0;owned");
  });
});
