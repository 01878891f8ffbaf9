// @ts-check
// The example's story, in time order: Codex sets up config and a JS helper, a human tweaks the config, a Claude
// session (with a /model switch and a subagent) writes a small Python CLI, a human edits it afterwards, and a later
// Codex session updates and deletes files, and a Gemini CLI session writes tests. Running it fills the Workspace
// (ground truth) and returns the traces.
import { Clock, IdSource } from "./fixture-kit.mjs";
import { ClaudeSession, PROJECT } from "./claude-session.mjs";
import { CodexRollout } from "./codex-rollout.mjs";
import { Workspace } from "./workspace.mjs";
import { GeminiSession, replaceCall, sessionFileName, writeFileCall } from "./writers/gemini.mjs";
import { OpencodeSession, toolPart } from "./writers/opencode.mjs";
import * as C from "./story-content.mjs";

const OPUS = "claude-opus-4-5-20251101";
const SONNET = "claude-sonnet-4-5-20250929";
const HAIKU = "claude-haiku-4-5-20251001";

/** Run the story. Returns the final workspace and the trace files (paths relative to their agent's folder). */
export function runStory() {
  const ids = new IdSource("ai-blame example v1");
  const clock = new Clock("2025-11-03T09:12:44.512Z");
  const ws = new Workspace();
  ws.humanWrite("pyproject.toml", C.PYPROJECT);

  // Morning: Codex scaffolds the config, a formatter for the dashboard and a bootstrap script.
  const r1 = new CodexRollout({ ids, clock, workspace: ws, cliVersion: "0.63.0", gitBranch: "main" });
  r1.turn("gpt-5.1-codex", "Set up a config file for a time-tracking CLI called tasklog (storage path, display timezone, report rounding), a small JS formatter for the web dashboard in web/format.js, and a bootstrap script.", { gapMs: 2_000 });
  r1.reason("**Inspecting the repository**");
  r1.shell("ls -la", "total 8\ndrwxr-xr-x  3 dev staff  96 Nov  3 09:10 .\ndrwxr-xr-x 12 dev staff 384 Nov  3 09:10 ..\n-rw-r--r--  1 dev staff 142 Nov  3 09:10 pyproject.toml\n");
  r1.reason("**Creating config and formatter files**");
  r1.patch(["*** Begin Patch", `*** Add File: ${PROJECT}/config.yaml`, ...plus(C.CONFIG_V1), `*** Add File: ${PROJECT}/web/format.js`, ...plus(C.FORMAT_V1), "*** End Patch"].join("\n") + "\n");
  r1.patch(["*** Begin Patch", `*** Add File: ${PROJECT}/scripts/bootstrap.sh`, ...plus(C.BOOTSTRAP), "*** End Patch"].join("\n") + "\n");
  r1.say("Added `config.yaml` (storage, display and report sections), `web/format.js` with `formatDuration` and `formatEntry`, and `scripts/bootstrap.sh`.");
  r1.turn("gpt-5.1-codex", "In the formatter, round durations to 15 minutes.");
  r1.reason("**Updating duration rounding**");
  r1.patch([
    "*** Begin Patch", `*** Update File: ${PROJECT}/web/format.js`, "@@ export function formatDuration(seconds) {",
    "-  const minutes = Math.floor(seconds / 60);", "+  const minutes = Math.round(seconds / 60 / 15) * 15;", "   return `${minutes} min`;",
    "*** End Patch",
  ].join("\n") + "\n");
  r1.say("`formatDuration` now rounds to the nearest 15 minutes.");

  // Late morning: the developer sets their timezone by hand (no trace records this).
  ws.human("config.yaml", "  timezone: UTC\n", "  timezone: Europe/Berlin\n");

  // Afternoon: a Claude Code session writes the Python CLI.
  clock.set("2025-11-03T13:58:02.117Z");
  /** @type {ClaudeSession[]} */
  const subagents = [];
  const s = new ClaudeSession({ ids, clock, workspace: ws, sessionId: ids.uuid(), version: "2.0.76", gitBranch: "main", slug: "quiet-humming-lantern", model: OPUS, file: "" });
  s.file = `${s.sessionId}.jsonl`;
  s.prompt("Let's build tasklog, a tiny Python CLI for logging time against tasks. Start with a package: tasklog/__init__.py and tasklog/store.py (JSONL storage of entries), then tasklog/cli.py with `start`, `stop` and `report` commands. Read config.yaml first - Codex set it up this morning.", { gapMs: 0 });
  s.tools([s.read("config.yaml")], "The user wants a small Python CLI. Let me look at the existing config first to match its storage path.");
  s.tools([s.write("tasklog/__init__.py", C.INIT), s.write("tasklog/store.py", C.STORE_V1)], "The storage path in the config is ~/.local/share/tasklog/entries.jsonl. I'll create the package and the store in parallel.");
  s.tools([s.write("tasklog/cli.py", C.CLI_V1)]);
  s.tools([s.bash("python -m tasklog.cli --help", "Check the CLI parses", C.HELP_V1)]);
  s.say("Created the `tasklog` package: `store.py` appends entries as JSON lines, and `cli.py` has `start`, `stop` and `report` commands. `python -m tasklog.cli --help` works.");

  s.prompt("Add a `list` command that prints today's entries, and write a README with usage.");
  s.tools([s.edit("tasklog/cli.py", C.CLI_LIST_OLD, C.CLI_LIST_NEW)], "I'll add cmd_list before build_parser and register it.");
  s.tools([s.edit("tasklog/cli.py", C.CLI_REGISTER_OLD, C.CLI_REGISTER_NEW)]);
  s.tools([s.write("README.md", C.README_V1)]);
  s.say("Added `tasklog list` (today's entries, newest last) and a README with install and usage notes.");

  s.switchModel(SONNET, "sonnet");
  s.prompt("Rename the --file option to --log-file everywhere (code and README), align the report columns, and set the report rounding in config.yaml to 5 minutes.");
  s.tools([s.multiEdit("tasklog/cli.py", [["args.file", "args.log_file", true], [C.CLI_OPTION_OLD, C.CLI_OPTION_NEW]])], "Rename the option: the attribute accesses and the add_argument call.");
  s.tools([s.edit("README.md", "--file", "--log-file", true)]);
  s.tools([s.edit("tasklog/cli.py", C.CLI_REPORT_OLD, C.CLI_REPORT_NEW)]);
  s.tools([s.failedEdit("config.yaml", "  round_to: 15\n", "  round_to: 5\n")]);
  s.tools([s.read("config.yaml")], "The key is named differently; let me re-read the file.");
  s.tools([s.edit("config.yaml", "  round_to_minutes: 15\n", "  round_to_minutes: 5\n  include_idle: false\n")]);
  s.say("Renamed `--file` to `--log-file`, aligned the `report` columns, and set `round_to_minutes: 5` (plus `include_idle: false`) in config.yaml.");

  s.prompt("Use a subagent to add CSV export to the store, and meanwhile add an `export` command to the CLI that uses it.");
  s.tools([s.task("Add CSV export to store", C.SUBAGENT_PROMPT, HAIKU, (sub) => {
    sub.tools([sub.read("tasklog/store.py")]);
    sub.tools([sub.edit("tasklog/store.py", "import json\nimport os\n", "import csv\nimport json\nimport os\n")]);
    sub.tools([sub.edit("tasklog/store.py", C.STORE_EXPORT_OLD, C.STORE_EXPORT_NEW)]);
    return "Added `export_csv(entries, handle)` to tasklog/store.py: it writes a header (project, task, start, stop) and one row per entry, using `csv.DictWriter`.";
  }, subagents)], "I'll delegate the store change to a subagent and then rewrite cli.py with the export command.");
  s.tools([s.write("tasklog/cli.py", C.CLI_V5)]);
  s.tools([s.edit("README.md", C.README_EXPORT_OLD, C.README_EXPORT_NEW)]);
  s.say("Done: `store.export_csv` (written by the subagent) and a new `tasklog export` command that writes CSV to stdout. README updated.");
  s.records.push({ type: "summary", summary: "Tasklog Python CLI with JSONL store and CSV export", leafUuid: s.last });

  // Evening: the developer edits by hand.
  ws.human("README.md", "A tiny command-line tool for logging time against tasks.\n", "A tiny command-line tool for logging the time you spend on tasks.\n");
  ws.human("README.md", "    tasklog --log-file work.jsonl report\n", "    tasklog --log-file work.jsonl report\n\n## License\n\nMIT\n");
  ws.human("tasklog/cli.py", "import argparse\n", "import argparse\nimport os\n");
  ws.human("tasklog/cli.py", '    start.add_argument("--project", default="inbox")\n', '    start.add_argument("--project", default=os.environ.get("TASKLOG_PROJECT", "inbox"))\n');

  // Next morning: a second Codex session (newer CLI and model, relative patch paths).
  clock.set("2025-11-04T10:05:10.204Z");
  const r2 = new CodexRollout({ ids, clock, workspace: ws, cliVersion: "0.65.0", gitBranch: "main" });
  r2.turn("gpt-5.1-codex-max", "Show hours and minutes in the JS formatter, add a delete_entry helper to tasklog/store.py, and remove the bootstrap script - we don't use it.", { gapMs: 2_000 });
  r2.reason("**Updating the formatter**");
  r2.patch(["*** Begin Patch", "*** Update File: web/format.js", "@@ export function formatDuration(seconds) {",
    "-  const minutes = Math.floor(seconds / 60);", "+  const hours = Math.floor(seconds / 3600);", "*** End Patch"].join("\n") + "\n", { fail: true });
  r2.reason("**Re-reading the current formatter**");
  r2.shell("sed -n '1,20p' web/format.js", ws.mustRead("web/format.js"));
  r2.patch(["*** Begin Patch", "*** Update File: web/format.js", "@@ export function formatDuration(seconds) {",
    "-  const minutes = Math.round(seconds / 60 / 15) * 15;", "-  return `${minutes} min`;",
    "+  const total = Math.round(seconds / 60 / 15) * 15;", "+  const hours = Math.floor(total / 60);",
    "+  const minutes = total % 60;", "+  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;", " }",
    "*** End Patch"].join("\n") + "\n");
  r2.patch(["*** Begin Patch", "*** Update File: tasklog/store.py", "@@ def read_entries(path):",
    ...C.STORE_DELETE_HUNK, "*** Delete File: scripts/bootstrap.sh", "*** End Patch"].join("\n") + "\n");
  r2.shell("python -c 'import tasklog.store'", "");
  r2.say("The formatter now prints `1 h 15 min` style durations, `store.delete_entry(path, index)` removes one entry, and scripts/bootstrap.sh is gone.");

  // Afternoon: a Gemini CLI session writes tests for the store (its .jsonl session log).
  clock.set("2025-11-04T15:20:31.877Z");
  const gemini = geminiSession(ids, clock, ws);

  // Evening: an opencode session (JSON storage of opencode before 1.2) adds a check for the JS formatter.
  clock.set("2025-11-04T16:41:07.311Z");
  const opencode = opencodeSession(clock, ws);

  return {
    workspace: ws,
    gemini: [gemini],
    opencode,
    claude: [{ path: s.file, text: s.text() }, ...subagents.map((a) => ({ path: a.file, text: a.text() }))],
    codex: [r1, r2].map((r) => ({ path: r.fileName(), text: r.text() })),
  };
}

/** Placeholder the materializer replaces with the sha256 of the absolute project path (Gemini's projectHash). */
export const PROJECT_HASH = "@PROJECT_HASH@";

/**
 * The Gemini CLI session: a test file created with write_file, then two replace calls, each applied to the Workspace.
 * @param {IdSource} ids @param {Clock} clock @param {Workspace} ws
 */
function geminiSession(ids, clock, ws) {
  const sessionId = ids.uuid();
  const start = clock.now();
  const g = new GeminiSession({ sessionId, projectPath: PROJECT, projectHash: PROJECT_HASH, startTime: start, kind: "main" });
  const model = "gemini-2.5-pro";
  const prompt = "Add pytest tests for tasklog/store.py: append then read, and the new delete_entry.";
  g.user(ids.uuid(), clock.tick(1_200), prompt);
  const rel = "tests/test_store.py";
  const filePath = `${PROJECT}/${rel}`;
  /** @param {string} id @param {string} timestamp @param {string} after @param {"CREATED" | "EDITED"} action */
  const apply = (id, timestamp, after, action) =>
    ws.apply(rel, after, { agent: "gemini-cli", agentVersion: null, model, sessionId, subagentId: null, toolCallId: id, timestamp, action, prompt });
  const writeId = `write_file-${Date.parse(clock.now()) + 9_000}-${ids.hex(12)}`;
  const wrote = clock.tick(9_000);
  g.gemini(ids.uuid(), wrote, model, { toolCalls: [writeFileCall({ id: writeId, timestamp: wrote, filePath, before: null, after: C.TEST_STORE_V1 })] });
  apply(writeId, wrote, C.TEST_STORE_V1, "CREATED");
  const withImport = C.TEST_STORE_V1.replace(C.TEST_STORE_OLD, () => C.TEST_STORE_NEW);
  const importId = `replace-${Date.parse(clock.now()) + 6_500}-${ids.hex(12)}`;
  const imported = clock.tick(6_500);
  const lastAssert = '    assert read_entries(path) == [{"project": "acme", "task": "write report"}]\n';
  const appendId = `replace-${Date.parse(imported) + 700}-${ids.hex(12)}`;
  const appended = clock.tick(700);
  g.gemini(ids.uuid(), imported, model, {
    content: "I'll import delete_entry and add a test for it.",
    toolCalls: [
      replaceCall({ id: importId, timestamp: imported, filePath, before: C.TEST_STORE_V1, oldString: C.TEST_STORE_OLD, newString: C.TEST_STORE_NEW }),
      replaceCall({ id: appendId, timestamp: appended, filePath, before: withImport, oldString: lastAssert, newString: lastAssert + C.TEST_STORE_APPEND }),
    ],
  });
  apply(importId, imported, withImport, "EDITED");
  apply(appendId, appended, withImport.replace(lastAssert, () => lastAssert + C.TEST_STORE_APPEND), "EDITED");
  g.gemini(ids.uuid(), clock.tick(4_000), model, { content: "Added tests/test_store.py with tests for append/read and delete_entry." });
  return { path: sessionFileName(start, sessionId, ".jsonl"), text: g.jsonl() };
}

/**
 * The opencode session: a write creating web/format.test.js, then an edit recorded with its filediff before/after.
 * @param {Clock} clock @param {Workspace} ws
 */
function opencodeSession(clock, ws) {
  const start = Date.parse(clock.now());
  const s = new OpencodeSession({ id: "ses_5b7e2c91a0ffK3nQ8xWmZt4Lp", projectID: "8d1f0a6e3b2c4f59a7e0d13c6b8a2f47e9c1d305", directory: PROJECT, title: "Formatter checks", version: "1.1.36", time: { created: start, updated: start + 60_000 } });
  const prompt = "Add a quick check for formatDuration in web/format.test.js";
  const model = "claude-sonnet-4-5";
  s.user(start + 1_000, prompt, { providerID: "anthropic", modelID: model });
  const rel = "web/format.test.js";
  const file = `${PROJECT}/${rel}`;
  const meta = (/** @type {string} */ id, /** @type {number} */ at, /** @type {"CREATED" | "EDITED"} */ action) =>
    ({ agent: "opencode", agentVersion: "1.1.36", model, sessionId: s.info.id, subagentId: null, toolCallId: id, timestamp: new Date(at + 40).toISOString(), action, prompt });
  const wrote = start + 6_000;
  const edited = start + 9_000;
  s.assistant(start + 2_000, "anthropic", model, [
    toolPart("toolu_01Hq7RkVb2Tn9WcXyZa4Md3e", "write", { filePath: file, content: C.FORMAT_TEST_V1 }, { exists: false }, wrote),
    toolPart("toolu_01Lm5PqS8dJx3YvNb6Ke2Wr7", "edit", { filePath: file, oldString: '"15 min");\n', newString: '"15 min");\nconsole.assert(formatDuration(4500) === "1 h 15 min");\n' },
      { filediff: { file, before: C.FORMAT_TEST_V1, after: C.FORMAT_TEST_V2, additions: 1, deletions: 0 } }, edited),
  ]);
  ws.apply(rel, C.FORMAT_TEST_V1, meta("toolu_01Hq7RkVb2Tn9WcXyZa4Md3e", wrote, "CREATED"));
  ws.apply(rel, C.FORMAT_TEST_V2, meta("toolu_01Lm5PqS8dJx3YvNb6Ke2Wr7", edited, "EDITED"));
  clock.set(new Date(start + 60_000).toISOString());
  return [...s.storageFiles()].map(([path, text]) => ({ path, text }));
}

/** Lines of a new file as `+` lines of an Add File. @param {string} text */
function plus(text) {
  return text.slice(0, -1).split("\n").map((l) => `+${l}`);
}
