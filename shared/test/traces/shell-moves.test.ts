// Which shell commands count as renames: plain `mv`/`git mv` of two literal paths, joined by `&&`/`;` or newlines,
// with harmless flags; not globs, expansions, several sources, unknown flags, pipes, or anything after a `cd`.

import { describe, expect, it } from "vitest";
import { findFileMoves } from "../../src/traces/shell-moves";

describe("findFileMoves", () => {
  it("reads mv and git mv with quotes, flags and separators", () => {
    expect(findFileMoves(`mv -f 'old name.py' "new name.py" && git mv -v -- a.ts b.ts; mv x.js lib/\nmv y.md docs/y.md`)).toEqual([
      { from: "old name.py", to: "new name.py" },
      { from: "a.ts", to: "b.ts" },
      { from: "x.js", to: "lib/x.js" },
      { from: "y.md", to: "docs/y.md" },
    ]);
  });

  it("skips what it cannot vouch for", () => {
    for (const command of [
      "mv *.py lib/",
      "mv $SRC dst.py",
      "mv a.py b.py c/",
      "mv -t lib a.py",
      "mv a.py lib",
      "mv a.py . ",
      "git mv -n a.py b.py",
      "mv a.py b.py | tee log",
      "echo mv a.py b.py",
      "cd sub && mv a.py b.py",
    ]) {
      expect(findFileMoves(command), command).toEqual([]);
    }
    // Nothing after a cd or a heredoc is read: the directory or the command text is unknown.
    expect(findFileMoves("mv a.py b.py\ncd x\nmv c.py d.py")).toEqual([{ from: "a.py", to: "b.py" }]);
    expect(findFileMoves("cat > f <<EOF\nmv a.py b.py\nEOF")).toEqual([]);
  });
});
