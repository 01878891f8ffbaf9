import json

from tasklog.store import append_entry, delete_entry, read_entries


def test_append_then_read(tmp_path):
    path = tmp_path / "entries.jsonl"
    append_entry(path, {"project": "acme", "task": "write report"})
    assert read_entries(path) == [{"project": "acme", "task": "write report"}]


def test_delete_entry(tmp_path):
    path = tmp_path / "entries.jsonl"
    append_entry(path, {"task": "a"})
    append_entry(path, {"task": "b"})
    delete_entry(path, 0)
    assert [e["task"] for e in read_entries(path)] == ["b"]
