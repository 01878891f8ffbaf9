"""Command-line interface for tasklog: start, stop, list, report and export."""

import argparse
import os
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
    start.add_argument("--project", default=os.environ.get("TASKLOG_PROJECT", "inbox"))
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
