// Recognises whole-file writes made through a shell heredoc (`cat <<'EOF' > f`, `cat > f <<EOF`, `tee f <<EOF`,
// `cat <<EOF | tee f`), as Claude `Bash` and Codex shell calls do. Only complete heredocs into a literal path count:
// appends (`>>`, `tee -a`), paths with expansions, and unterminated bodies are not edits we can vouch for.

export interface HeredocWrite {
  /** The path as written in the command (relative paths resolve against the command's working directory). */
  path: string;
  content: string;
}

export interface Token {
  text: string;
  /** Operators (`>`, `>>`, `|`, `&&`, `;`, `<<`, …) are not words. */
  op: boolean;
}

const OPERATORS = ["<<<", "<<-", "&&", "||", ">>", "<<", ">|", "&>", "|", ";", ">", "<", "&"];

/** Splits one command line into shell-ish words and operators (quotes honoured, no expansion). */
export function tokenize(line: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  let word = "";
  let inWord = false;
  const flush = (): void => {
    if (inWord) out.push({ text: word, op: false });
    word = "";
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === "\t") {
      flush();
      i++;
      continue;
    }
    if (c === "#" && !inWord) break;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return null;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = "";
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\" && j + 1 < line.length) j++;
        text += line[j];
        j++;
      }
      if (j >= line.length) return null;
      word += text;
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === "\\" && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      // A file-descriptor number directly before a redirect (`1>`, `2>`) belongs to the operator.
      if (inWord && /^\d+$/.test(word) && (op === ">" || op === ">>")) {
        out.push({ text: `${word}${op}`, op: true });
        word = "";
        inWord = false;
      } else {
        flush();
        out.push({ text: op, op: true });
      }
      i += op.length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  flush();
  return out;
}

export function isLiteralPath(p: string): boolean {
  return p !== "" && !/[$`*?{}]/.test(p) && !p.startsWith("/dev/") && !p.startsWith("/proc/");
}

interface CommandLine {
  delimiter: string;
  stripTabs: boolean;
  path: string | null;
}

/** Finds the heredoc operator of a line and the file its command writes (path null when it is not a write). */
function analyseLine(line: string): CommandLine | null {
  const tokens = tokenize(line);
  if (!tokens) return null;
  const hd = tokens.findIndex((t) => t.op && (t.text === "<<" || t.text === "<<-"));
  if (hd === -1) return null;
  const delimiterToken = tokens[hd + 1];
  if (!delimiterToken || delimiterToken.op) return null;
  const delimiter = delimiterToken.text;
  const stripTabs = tokens[hd]!.text === "<<-";
  // The command (between `&&`/`||`/`;`) that holds the heredoc, as pipeline stages.
  let start = hd;
  while (start > 0 && !(tokens[start - 1]!.op && ["&&", "||", ";", "&"].includes(tokens[start - 1]!.text))) start--;
  let end = hd;
  while (end < tokens.length && !(tokens[end]!.op && ["&&", "||", ";", "&"].includes(tokens[end]!.text))) end++;
  const stages: Token[][] = [[]];
  for (let k = start; k < end; k++) {
    const t = tokens[k]!;
    if (t.op && t.text === "|") stages.push([]);
    else if (k !== hd && k !== hd + 1) stages[stages.length - 1]!.push(t);
  }
  return { delimiter, stripTabs, path: writeTarget(stages) ?? null };
}

/** The file a heredoc command writes whole: `cat > f`, `tee f`, or `cat | tee f`; undefined otherwise. */
function writeTarget(stages: Token[][]): string | undefined {
  const first = stages[0]!;
  const program = first.find((t) => !t.op)?.text;
  if (program === "cat") {
    const target = redirectTarget(first);
    if (target === undefined) return undefined;
    if (target !== null) return target;
    return stages.slice(1).map(teeTarget).find((p) => p !== undefined);
  }
  return program === "tee" || program === "sudo" ? teeTarget(first) : undefined;
}

/** `> path` of a stage: the path, null when there is no output redirect, undefined when it is not a plain write. */
function redirectTarget(stage: Token[]): string | null | undefined {
  let target: string | null = null;
  for (let k = 0; k < stage.length; k++) {
    const t = stage[k]!;
    if (!t.op) continue;
    if (t.text === ">>" || t.text === "1>>") return undefined;
    if (t.text === ">" || t.text === "1>" || t.text === ">|") {
      const next = stage[k + 1];
      if (!next || next.op || !isLiteralPath(next.text)) return undefined;
      target = next.text;
    }
  }
  return target;
}

/** The file of `[sudo] tee [opts] FILE` (one file, not appending); undefined otherwise. Its own stdout may go anywhere. */
function teeTarget(stage: Token[]): string | undefined {
  const words: string[] = [];
  for (let k = 0; k < stage.length; k++) {
    const t = stage[k]!;
    if (t.op) {
      if (t.text.includes(">") || t.text === "<") k++; // skip the redirect's target
      continue;
    }
    words.push(t.text);
  }
  if (words[0] === "sudo") words.shift();
  if (words[0] !== "tee") return undefined;
  const rest = words.slice(1);
  if (rest.some((w) => w === "-a" || w === "--append" || /^-[a-z]*a[a-z]*$/.test(w))) return undefined;
  const files = rest.filter((w) => !w.startsWith("-"));
  if (files.length !== 1) return undefined;
  return isLiteralPath(files[0]!) ? files[0] : undefined;
}

/** All complete heredoc writes in a shell script, in order. */
export function findHeredocWrites(script: string): HeredocWrite[] {
  if (!script.includes("<<")) return [];
  const lines = script.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const out: HeredocWrite[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes("<<")) continue;
    const cmd = analyseLine(line);
    if (!cmd) continue;
    // Bodies of other heredocs (`python - <<EOF`) are skipped too, so text inside them is never taken as a command.
    const body: string[] = [];
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      const raw = lines[j]!;
      const candidate = cmd.stripTabs ? raw.replace(/^\t+/, "") : raw;
      if (candidate === cmd.delimiter) {
        closed = true;
        break;
      }
      body.push(candidate);
    }
    if (!closed) continue;
    if (cmd.path !== null) out.push({ path: cmd.path, content: body.length > 0 ? `${body.join("\n")}\n` : "" });
    i = j;
  }
  return out;
}
