// previousLineOwner: the owner of a line as of just before the edit that owns it now, on files written by several
// edits (Claude Write then Edit, a Codex Update replayed from chunks, an inserted line, a person's line in between).

import { describe, expect, it } from "vitest";
import { attributeFile } from "../../src/attribution";
import { lineBefore, previousLineOwner } from "../../src/attribution/previous-owner";
import { chunk, History } from "./support";

const v1 = "import os\n\ndef load(path):\n    return open(path).read()\n\ndef save(path, text):\n    open(path, 'w').write(text)\n";
const v2 = "import os\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n\ndef save(path, text):\n    open(path, 'w').write(text)\n";

function ownerOf(h: History, text: string, line0: number) {
  return attributeFile(h.events, h.store, text).lines[line0]?.owner ?? null;
}

describe("previousLineOwner", () => {
  it("names the Write that wrote a line before the Edit that rewrote it, at that line", () => {
    const h = new History();
    const first = h.write("w1", v1);
    const second = h.edit("e2", [["    return open(path).read()\n", "    with open(path) as f:\n        return f.read()\n"]], { before: v1, after: v2 });
    // Line 5 ("        return f.read()") is the Edit's; before it, line 4 of v1 was the Write's.
    expect(ownerOf(h, v2, 4)?.eventId).toBe(second.id);
    const previous = previousLineOwner(second, h.events, h.store, v2, 4);
    expect(previous?.owner.eventId).toBe(first.id);
    expect(previous?.line0).toBe(3);
    // The first line of the replaced run maps to the replaced line too.
    expect(previousLineOwner(second, h.events, h.store, v2, 3)?.line0).toBe(3);
  });

  it("follows the line through later edits elsewhere and through a person's insertion above it", () => {
    const h = new History();
    const first = h.write("w1", v1);
    const second = h.edit("e2", [["    return open(path).read()\n", "    with open(path) as f:\n        return f.read()\n"]], { before: v1, after: v2 });
    const v3 = v2.replace("open(path, 'w').write(text)", "open(path, 'w').write(text.strip())");
    h.codexUpdate("u3", [chunk(["-    open(path, 'w').write(text)", "+    open(path, 'w').write(text.strip())"], "def save(path, text):")]);
    const current = `# edited by hand\n${v3}`;
    expect(ownerOf(h, current, 5)?.eventId).toBe(second.id);
    expect(previousLineOwner(second, h.events, h.store, current, 5)?.owner.eventId).toBe(first.id);
    // The Codex line's previous owner is the Write, found in the replayed content before the Update.
    const update = h.events[2];
    if (!update) throw new Error("no update");
    expect(ownerOf(h, current, 8)?.eventId).toBe(update.id);
    expect(previousLineOwner(update, h.events, h.store, current, 8)?.owner.eventId).toBe(first.id);
  });

  it("is null for a line the edit inserted, for the first edit, and for a line a person wrote before the edit", () => {
    const h = new History();
    const first = h.write("w1", "a\nb\n");
    const inserted = h.edit("e2", [["a\n", "a\nnew\n"]], { before: "a\nb\n", after: "a\nnew\nb\n" });
    expect(previousLineOwner(inserted, h.events, h.store, "a\nnew\nb\n", 1)).toBeNull();
    expect(previousLineOwner(first, h.events, h.store, "a\nnew\nb\n", 0)).toBeNull();
    // A person changed "b" to "B" before the AI rewrote it: no AI edit wrote the line it replaced.
    const rewrite = h.edit("e3", [["B\n", "beta\n"]], { before: "a\nnew\nB\n", after: "a\nnew\nbeta\n" });
    expect(previousLineOwner(rewrite, h.events, h.store, "a\nnew\nbeta\n", 2)).toBeNull();
    // Out of range.
    expect(previousLineOwner(rewrite, h.events, h.store, "a\nnew\nbeta\n", 9)).toBeNull();
  });
});

describe("lineBefore", () => {
  it("maps kept lines to themselves and changed lines by offset within the replaced run", () => {
    expect(lineBefore(["a", "b", "c"], ["a", "X", "Y", "Z", "c"], 0)).toBe(0);
    expect(lineBefore(["a", "b", "c"], ["a", "X", "Y", "Z", "c"], 1)).toBe(1);
    expect(lineBefore(["a", "b", "c"], ["a", "X", "Y", "Z", "c"], 3)).toBe(1);
    expect(lineBefore(["a", "b", "c"], ["a", "X", "Y", "Z", "c"], 4)).toBe(2);
    expect(lineBefore(["a", "c"], ["a", "X", "c"], 1)).toBeNull();
  });
});
