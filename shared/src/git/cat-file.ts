// Reads many git objects with one `git cat-file --batch` process: the object names go in on stdin, and the output is
// split by the `<sha> <type> <size>` headers, so thousands of notes or file versions cost one process, not thousands.

import { runGitRaw } from "./run-git";

export interface GitObject {
  sha: string;
  type: string;
  content: Buffer;
}

/** Objects by the names asked for (`<sha>`, `<rev>:<path>`); missing names map to null. */
export async function readObjects(cwd: string, names: string[]): Promise<Map<string, GitObject | null>> {
  const found = new Map<string, GitObject | null>();
  if (names.length === 0) return found;
  // A name with a newline cannot be asked for in batch mode (it would split into two requests).
  const asked = names.filter((n) => !n.includes("\n"));
  const result = await runGitRaw(["cat-file", "--batch"], { cwd, input: `${asked.join("\n")}\n` });
  const out = result.stdout;
  let at = 0;
  for (const name of asked) {
    const eol = out.indexOf(10, at);
    if (eol < 0) break;
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const parts = header.split(" ");
    if (parts.length !== 3 || !/^\d+$/.test(parts[2] ?? "")) {
      found.set(name, null); // "<name> missing" / "ambiguous"
      continue;
    }
    const size = Number(parts[2]);
    found.set(name, { sha: parts[0] ?? "", type: parts[1] ?? "", content: out.subarray(at, at + size) });
    at += size + 1;
  }
  return found;
}
