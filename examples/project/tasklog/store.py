"""Append-only JSONL storage for tasklog entries."""

import csv
import json
import os
from datetime import datetime, timezone


def default_path():
    return os.path.expanduser("~/.local/share/tasklog/entries.jsonl")


def append_entry(path, entry):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def read_entries(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def delete_entry(path, index):
    entries = read_entries(path)
    removed = entries.pop(index)
    with open(path, "w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry) + "\n")
    return removed


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def export_csv(entries, handle):
    writer = csv.DictWriter(handle, fieldnames=["project", "task", "start", "stop"])
    writer.writeheader()
    for entry in entries:
        writer.writerow({key: entry.get(key, "") for key in writer.fieldnames})
