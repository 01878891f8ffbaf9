// Lines keep their owner through edits nobody traced, run through the built CLI: whitespace-only changes (indent,
// trailing space, CRLF, spacing inside a line) and lines split or joined keep their owner flagged `reformatted`,
// `--strict-whitespace` restores the exact behaviour, a block a person moved keeps its owner flagged `moved`.

import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

async function blameJson(p: TestProject, file: string, extra: string[] = []): Promise<BlameJson> {
  const r = await p.run(["blame", file, "--json", ...extra]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as BlameJson;
}

/** One row per line: text, then the owner's tool call (or the reason), then the flags. */
function rows(b: BlameJson): string[] {
  return b.lines.map((l) => {
    const who = l.owner ? l.owner.toolCallId.slice(0, 8) : l.reason;
    const flags = `${l.reformatted ? " reformatted" : ""}${l.moved ? " moved" : ""}`;
    return `${l.text.replace(/\r/g, "\\r")} <- ${who}${flags}`;
  });
}

const v1 = [
  "def total(items):",
  "    result = 0",
  "    for item in items:",
  "        result += item.price * item.count",
  "    return result",
  "",
].join("\n");

describe("whitespace-only changes keep the owner, flagged reformatted", () => {
  it("indentation, trailing space, spacing inside the line and CRLF", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), v1).save(p.home);
    p.file("m.py", "def total(items):  \r\n  result = 0\r\n  for item in items:\r\n    result += item.price*item.count\r\n  return result\r\n");
    expect(rows(await blameJson(p, "m.py"))).toEqual([
      "def total(items):   <- toolu_01 reformatted",
      "  result = 0 <- toolu_01 reformatted",
      "  for item in items: <- toolu_01 reformatted",
      "    result += item.price*item.count <- toolu_01 reformatted",
      "  return result <- toolu_01 reformatted",
    ]);
    // `-w` (git habit) is accepted and is the default.
    expect(rows(await blameJson(p, "m.py", ["-w"]))).toEqual(rows(await blameJson(p, "m.py")));
    // --strict-whitespace: every changed line is the person's, as before; CRLF alone changes nothing.
    expect(rows(await blameJson(p, "m.py", ["--strict-whitespace"]))).toEqual([
      "def total(items):   <- changed-after-ai",
      "  result = 0 <- changed-after-ai",
      "  for item in items: <- changed-after-ai",
      "    result += item.price*item.count <- changed-after-ai",
      "  return result <- changed-after-ai",
    ]);
    const text = (await p.run(["blame", "m.py", "--blocks"])).stdout;
    expect(text).toContain("    2 ~   result = 0");
    expect(text).toMatch(/block 1-5: .* \(reformatted since\)/);
    const porcelain = (await p.run(["blame", "m.py", "--porcelain", "--lines", "2-2"])).stdout;
    expect(porcelain).toMatch(/^[0-9a-f]{40} 2\n(.+\n)*reformatted\n\t {2}result = 0\n$/);
  });

  it("a CRLF-only change is no change at all (no flag)", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), v1).save(p.home);
    p.file("m.py", v1.replace(/\n/g, "\r\n"));
    expect(rows(await blameJson(p, "m.py")).every((r) => r.endsWith("<- toolu_01"))).toBe(true);
  });

  it("lines a formatter split or joined keep the owners of the text they consist of", async () => {
    const p = makeProject();
    const before = 'entry = {"project": args.project, "task": args.task}\nstore.append(entry)\nname = first +\\\n    last\n';
    const s = new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), before);
    s.edit(p.path("m.py"), before, "store.append(entry)", "store.append_entry(log, entry)").save(p.home);
    p.file("m.py", 'entry = {\n    "project": args.project,\n    "task": args.task\n}\nstore.append_entry(\n    log, entry\n)\nname = first + last\n');
    expect(rows(await blameJson(p, "m.py"))).toEqual([
      "entry = { <- toolu_01 reformatted",
      '    "project": args.project, <- toolu_01 reformatted',
      '    "task": args.task <- toolu_01 reformatted',
      "} <- toolu_01 reformatted",
      "store.append_entry( <- toolu_02 reformatted",
      "    log, entry <- toolu_02 reformatted",
      ") <- toolu_02 reformatted",
      // `name = first +\` and `    last` joined: the backslash is gone, so most (not all) of the text is kept.
      "name = first + last <- changed-after-ai",
    ]);
    expect(rows(await blameJson(p, "m.py", ["--strict-whitespace"])).filter((r) => r.includes("toolu_"))).toEqual([]);
  });

  it("a joined line takes the owner of most of its text; a real change is still the person's", async () => {
    const p = makeProject();
    const before = "total = price *\n    count\n";
    const s = new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), before);
    s.edit(p.path("m.py"), before, "    count\n", "    count_of_items_in_the_cart\n").save(p.home);
    p.file("m.py", "total = price * count_of_items_in_the_cart\nrate = 3\n");
    expect(rows(await blameJson(p, "m.py"))).toEqual([
      "total = price * count_of_items_in_the_cart <- toolu_02 reformatted",
      "rate = 3 <- changed-after-ai",
    ]);
  });
});

describe("a block moved within the file keeps its owner, flagged moved", () => {
  const a = ["def first():", "    return compute_first_value(1)", ""];
  const b = ["def second():", "    return compute_second_value(2)", ""];
  const c = ["def third():", "    return 3", ""];

  it("cut and paste by a person (also with --strict-whitespace)", async () => {
    const p = makeProject();
    const original = [...a, ...b, ...c].join("\n");
    const s = new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), original);
    s.edit(p.path("m.py"), original, "compute_second_value(2)", "compute_second_value(22)").save(p.home);
    // The person moves the first function to the end: the diff keeps the two larger blocks in place.
    p.file("m.py", [...b.slice(0, 1), "    return compute_second_value(22)", "", ...c, ...a].join("\n"));
    const expected = [
      "def second(): <- toolu_01",
      "    return compute_second_value(22) <- toolu_02",
      " <- toolu_01",
      "def third(): <- toolu_01",
      "    return 3 <- toolu_01",
      // The blank line before the pasted block: there was none at the end of the file.
      " <- changed-after-ai",
      "def first(): <- toolu_01 moved",
      "    return compute_first_value(1) <- toolu_01 moved",
    ];
    expect(rows(await blameJson(p, "m.py"))).toEqual(expected);
    expect(rows(await blameJson(p, "m.py", ["--strict-whitespace"]))).toEqual(expected);
    const text = (await p.run(["blame", "m.py", "--blocks"])).stdout;
    expect(text).toContain("    7 > def first():");
    expect(text).toMatch(/block 7-8: .* \(moved since\)/);
  });

  it("a short line (under 20 letters and digits) is not taken for a move", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("m.py"), "x = 1\ny = 2\nz = 3\n").save(p.home);
    p.file("m.py", "y = 2\nz = 3\nx = 1\n");
    expect(rows(await blameJson(p, "m.py"))).toEqual(["y = 2 <- toolu_01", "z = 3 <- toolu_01", "x = 1 <- changed-after-ai"]);
  });
});
