// @ts-check
// File contents and edit strings of the example story, kept apart from the steps so both stay readable. Each
// constant is exact text (trailing newline included); the generator fails if an edit's old text does not match.

export const PYPROJECT = `[project]
name = "tasklog"
version = "0.1.0"
requires-python = ">=3.9"

[project.scripts]
tasklog = "tasklog.cli:main"
`;

export const CONFIG_V1 = `# tasklog configuration
storage:
  path: ~/.local/share/tasklog/entries.jsonl
  rotate_after_days: 90
display:
  timezone: UTC
  date_format: "%Y-%m-%d %H:%M"
  show_seconds: false
report:
  group_by: project
  round_to_minutes: 15
`;

export const FORMAT_V1 = `// Formatting helpers for the tasklog web dashboard.

export function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  return \`\${minutes} min\`;
}

export function formatEntry(entry) {
  const label = entry.project ? \`\${entry.project}: \${entry.task}\` : entry.task;
  return \`\${label} (\${formatDuration(entry.seconds)})\`;
}
`;

export const BOOTSTRAP = `#!/bin/sh
# Create the tasklog data folder and check for a config.
set -eu
mkdir -p "$HOME/.local/share/tasklog"
[ -f config.yaml ] || echo "config.yaml is missing" >&2
`;

export const INIT = `"""tasklog: log time against tasks from the command line."""

__version__ = "0.1.0"
`;

export const STORE_V1 = `"""Append-only JSONL storage for tasklog entries."""

import json
import os
from datetime import datetime, timezone


def default_path():
    return os.path.expanduser("~/.local/share/tasklog/entries.jsonl")


def append_entry(path, entry):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\\n")


def read_entries(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
`;

export const STORE_EXPORT_OLD = `def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
`;

export const STORE_EXPORT_NEW = `${STORE_EXPORT_OLD}

def export_csv(entries, handle):
    writer = csv.DictWriter(handle, fieldnames=["project", "task", "start", "stop"])
    writer.writeheader()
    for entry in entries:
        writer.writerow({key: entry.get(key, "") for key in writer.fieldnames})
`;

/** The Codex hunk (after its `@@ def read_entries(path):` line) that adds delete_entry. */
export const STORE_DELETE_HUNK = [
  '     with open(path, encoding="utf-8") as handle:',
  "         return [json.loads(line) for line in handle if line.strip()]",
  "+",
  "+",
  "+def delete_entry(path, index):",
  "+    entries = read_entries(path)",
  "+    removed = entries.pop(index)",
  '+    with open(path, "w", encoding="utf-8") as handle:',
  "+        for entry in entries:",
  '+            handle.write(json.dumps(entry) + "\\n")',
  "+    return removed",
];

export const SUBAGENT_PROMPT =
  "Add a function `export_csv(entries, handle)` to tasklog/store.py that writes the entries as CSV (columns project, task, start, stop) to an open text handle. Use the csv module. Only change tasklog/store.py.";

export const CLI_V1 = `"""Command-line interface for tasklog."""

import argparse
import sys

from tasklog import store


def cmd_start(args):
    entry = {"project": args.project, "task": args.task, "start": store.now_iso()}
    store.append_entry(args.file, entry)
    print(f"started {args.task}")
    return 0


def cmd_stop(args):
    entries = store.read_entries(args.file)
    if not entries or "stop" in entries[-1]:
        print("nothing to stop", file=sys.stderr)
        return 1
    entry = dict(entries[-1], stop=store.now_iso())
    store.append_entry(args.file, entry)
    print(f"stopped {entry['task']}")
    return 0


def cmd_report(args):
    for entry in store.read_entries(args.file):
        print(entry["project"], entry["task"], entry["start"], entry.get("stop", "-"))
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="tasklog")
    parser.add_argument("--file", default=store.default_path())
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start")
    start.add_argument("task")
    start.add_argument("--project", default="inbox")
    start.set_defaults(func=cmd_start)
    sub.add_parser("stop").set_defaults(func=cmd_stop)
    sub.add_parser("report").set_defaults(func=cmd_report)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
`;

export const HELP_V1 = `usage: tasklog [-h] [--file FILE] {start,stop,report} ...

positional arguments:
  {start,stop,report}

options:
  -h, --help           show this help message and exit
  --file FILE
`;

export const CLI_LIST_OLD = "def build_parser():\n";

export const CLI_LIST_NEW = `def cmd_list(args):
    today = store.now_iso()[:10]
    for entry in store.read_entries(args.file):
        if entry["start"].startswith(today):
            print(f"{entry['start'][11:16]}  {entry['task']}")
    return 0


def build_parser():
`;

export const CLI_REGISTER_OLD = '    sub.add_parser("report").set_defaults(func=cmd_report)\n';
export const CLI_REGISTER_NEW = `${CLI_REGISTER_OLD}    sub.add_parser("list").set_defaults(func=cmd_list)\n`;

export const CLI_OPTION_OLD = '    parser.add_argument("--file", default=store.default_path())\n';
export const CLI_OPTION_NEW = '    parser.add_argument("--log-file", default=store.default_path())\n';

export const CLI_REPORT_OLD = '        print(entry["project"], entry["task"], entry["start"], entry.get("stop", "-"))\n';
export const CLI_REPORT_NEW = "        print(f\"{entry['project']:<12} {entry['task']:<24} {entry['start']}  {entry.get('stop', '-')}\")\n";

/** cli.py as Claude's Write rewrites it: the previous content plus the export command and a new docstring. */
export const CLI_V5 = `"""Command-line interface for tasklog: start, stop, list, report and export."""

import argparse
import sys

from tasklog import store


def cmd_start(args):
    entry = {"project": args.project, "task": args.task, "start": store.now_iso()}
    store.append_entry(args.log_file, entry)
    print(f"started {args.task}")
    return 0


def cmd_stop(args):
    entries = store.read_entries(args.log_file)
    if not entries or "stop" in entries[-1]:
        print("nothing to stop", file=sys.stderr)
        return 1
    entry = dict(entries[-1], stop=store.now_iso())
    store.append_entry(args.log_file, entry)
    print(f"stopped {entry['task']}")
    return 0


def cmd_report(args):
    for entry in store.read_entries(args.log_file):
        print(f"{entry['project']:<12} {entry['task']:<24} {entry['start']}  {entry.get('stop', '-')}")
    return 0


def cmd_list(args):
    today = store.now_iso()[:10]
    for entry in store.read_entries(args.log_file):
        if entry["start"].startswith(today):
            print(f"{entry['start'][11:16]}  {entry['task']}")
    return 0


def cmd_export(args):
    store.export_csv(store.read_entries(args.log_file), sys.stdout)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="tasklog")
    parser.add_argument("--log-file", default=store.default_path())
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start")
    start.add_argument("task")
    start.add_argument("--project", default="inbox")
    start.set_defaults(func=cmd_start)
    sub.add_parser("stop").set_defaults(func=cmd_stop)
    sub.add_parser("report").set_defaults(func=cmd_report)
    sub.add_parser("list").set_defaults(func=cmd_list)
    sub.add_parser("export").set_defaults(func=cmd_export)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
`;

export const README_V1 = `# tasklog

A tiny command-line tool for logging time against tasks.

## Install

    pip install -e .

## Usage

    tasklog start "write report" --project acme
    tasklog stop
    tasklog list
    tasklog report

Entries are stored as JSON lines in \`~/.local/share/tasklog/entries.jsonl\`.
Pass \`--file PATH\` to use another log:

    tasklog --file work.jsonl report
`;

export const TEST_STORE_V1 = `import json

from tasklog.store import append_entry, read_entries


def test_append_then_read(tmp_path):
    path = tmp_path / "entries.jsonl"
    append_entry(path, {"project": "acme", "task": "write report"})
    assert read_entries(path) == [{"project": "acme", "task": "write report"}]
`;

export const TEST_STORE_OLD = "from tasklog.store import append_entry, read_entries\n";
export const TEST_STORE_NEW = "from tasklog.store import append_entry, delete_entry, read_entries\n";
export const TEST_STORE_APPEND = [
  "",
  "",
  "def test_delete_entry(tmp_path):",
  '    path = tmp_path / "entries.jsonl"',
  '    append_entry(path, {"task": "a"})',
  '    append_entry(path, {"task": "b"})',
  "    delete_entry(path, 0)",
  '    assert [e["task"] for e in read_entries(path)] == ["b"]',
  "",
].join("\n");

export const FORMAT_TEST_V1 = `import { formatDuration } from "./format.js";

console.assert(formatDuration(900) === "15 min");
`;

export const FORMAT_TEST_V2 = `import { formatDuration } from "./format.js";

console.assert(formatDuration(900) === "15 min");
console.assert(formatDuration(4500) === "1 h 15 min");
`;

export const README_EXPORT_OLD = "    tasklog report\n";
export const README_EXPORT_NEW = "    tasklog report\n    tasklog export > hours.csv\n";
