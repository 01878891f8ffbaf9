// Recognises file renames made in a shell command (`mv SRC DST`, `git mv SRC DST`), as Claude `Bash` calls make
// them, so the renamed file keeps its history. Only what we can vouch for counts: simple commands joined by `&&` or
// `;` (newlines too), exactly two literal paths, harmless flags, and nothing after a `cd` or a heredoc (the working
// directory or the command text would be unknown). A target that looks like a folder (`dir/`, or no extension where
// the source has one) is read as `dir/<source name>` only when written with a trailing slash; otherwise it is skipped.

import { isLiteralPath, type Token, tokenize } from "./shell-heredoc";

export interface ShellMove {
  /** Paths as written in the command (relative ones resolve against the command's working directory). */
  from: string;
  to: string;
}

const MV_FLAGS = new Set(["-f", "-v", "-i", "--force", "--verbose", "--interactive", "-fv", "-vf"]);
const GIT_MV_FLAGS = new Set(["-f", "-k", "-v", "--force", "--verbose"]);
const SEPARATORS = new Set(["&&", ";"]);

/** All renames of a shell script, in order. */
export function findFileMoves(script: string): ShellMove[] {
  if (!script.includes("mv")) return [];
  const out: ShellMove[] = [];
  for (const raw of script.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.includes("<<")) break;
    const tokens = tokenize(line);
    if (tokens === null) break;
    for (const command of commandsOf(tokens)) {
      if (command === null) return out;
      const words = command.map((t) => t.text);
      if (words[0] === "cd" || words[0] === "pushd" || words[0] === "popd") return out;
      const move = moveOf(words);
      if (move !== null) out.push(move);
    }
  }
  return out;
}

/** The simple commands of a line split at `&&` and `;`; null for one holding any other operator (pipes, redirects). */
function commandsOf(tokens: Token[]): Array<Token[] | null> {
  const commands: Array<Token[] | null> = [];
  let current: Token[] = [];
  let plain = true;
  for (const t of tokens) {
    if (t.op && SEPARATORS.has(t.text)) {
      if (current.length > 0) commands.push(plain ? current : null);
      current = [];
      plain = true;
    } else {
      if (t.op) plain = false;
      current.push(t);
    }
  }
  if (current.length > 0) commands.push(plain ? current : null);
  return commands;
}

/** `mv [flags] SRC DST` or `git mv [flags] SRC DST` as a move; null for anything else. */
function moveOf(words: string[]): ShellMove | null {
  let rest: string[];
  let flags: Set<string>;
  if (words[0] === "mv") {
    rest = words.slice(1);
    flags = MV_FLAGS;
  } else if (words[0] === "git" && words[1] === "mv") {
    rest = words.slice(2);
    flags = GIT_MV_FLAGS;
  } else {
    return null;
  }
  const operands: string[] = [];
  let options = true;
  for (const word of rest) {
    if (options && word === "--") options = false;
    else if (options && word.startsWith("-")) {
      if (!flags.has(word)) return null;
    } else operands.push(word);
  }
  if (operands.length !== 2) return null;
  const [from, to] = operands as [string, string];
  if (!isLiteralPath(from) || !isLiteralPath(to) || from.endsWith("/")) return null;
  const name = from.slice(from.lastIndexOf("/") + 1);
  if (to.endsWith("/")) return { from, to: `${to}${name}` };
  const toName = to.slice(to.lastIndexOf("/") + 1);
  if (toName === "." || toName === ".." || (name.includes(".") && !toName.includes("."))) return null;
  return { from, to };
}
