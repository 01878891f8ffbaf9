// The one markdown escaper for trace text (model ids, prompts, paths, session ids) that reaches a markdown renderer:
// the server's hovers and the transcript markdown. Escaped text shows as typed and never forms markup — no emphasis,
// code, HTML, headings or lists, and no links or images of any kind (inline, reference, `<…>` autolinks and the GFM
// bare `https://…`, `www.…` and e-mail autolinks). Code spans and fences get a backtick run longer than any inside.
// Multi-line trace text (a transcript's messages) is `proseMarkdown`: escaped line by line, its fenced code re-fenced.

/** Every sequence a line can end with in any language or renderer we feed: CRLF first so it counts once. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/** Inline markup characters: emphasis, code, HTML and entities, links and images, tables, strikethrough. */
const INLINE = /[\\`*_[\]<>|~!&]/g;

/**
 * `text` as one line of inline markdown that renders exactly as `text` (line breaks shown as spaces). Besides the
 * markup characters it breaks what GFM would turn into a link by itself: `://` (`\:`), `www.` and `@`.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(LINE_BREAKS, " ")
    .replace(INLINE, (c) => `\\${c}`)
    .replace(/:(?=\/)/g, "\\:")
    .replace(/(www)\./gi, "$1\\.")
    .replace(/@/g, "\\@")
    .replace(/^(\s*)([#+\-=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/** Length of the longest run of backticks in `text` (a linear scan: no regex over trace text). */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x60) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}

/**
 * An inline code span showing `text` verbatim (line breaks as spaces): delimited by more backticks than any run
 * inside, padded with a space when it starts or ends with a backtick or a space (the renderer strips one each side).
 */
export function codeSpan(text: string): string {
  const flat = text.replace(LINE_BREAKS, " ");
  if (flat === "") return "` `";
  const ticks = "`".repeat(longestBacktickRun(flat) + 1);
  const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced code block of `text` (as lines): the fence is longer than any backtick run inside, at least three. */
export function codeFence(text: string, lang = ""): string[] {
  const ticks = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
  const info = /^[A-Za-z0-9_+-]*$/.test(lang) ? lang : "";
  return [`${ticks}${info}`, ...text.split("\n"), ticks];
}

/** Leading spaces and tabs of a line (a tab as four), as no-break spaces: shown, but never an indented code block. */
function keepIndent(line: string): string {
  let i = 0;
  let indent = "";
  for (; i < line.length && (line[i] === " " || line[i] === "\t"); i++) indent += line[i] === "\t" ? "\u00a0\u00a0\u00a0\u00a0" : "\u00a0";
  return indent + line.slice(i);
}

/** One line of prose: escaped, indentation kept; a blank line stays blank (a paragraph break). */
function proseLine(line: string): string {
  return line.trim() === "" ? "" : keepIndent(escapeMarkdown(line));
}

/** A fence opening `line` (up to three spaces, then three or more backticks or tildes) as its marker and info, or null. */
function fenceOpening(line: string): { char: string; length: number; info: string } | null {
  let i = 0;
  while (i < 3 && line[i] === " ") i++;
  const char = line[i];
  if (char !== "`" && char !== "~") return null;
  let end = i;
  while (line[end] === char) end++;
  if (end - i < 3) return null;
  const info = line.slice(end).trim();
  if (char === "`" && info.includes("`")) return null;
  return { char, length: end - i, info };
}

/** Whether `line` closes a fence opened by `open`: up to three spaces, at least as many of its character, nothing else. */
function closesFence(line: string, open: { char: string; length: number }): boolean {
  const trimmed = line.trim();
  if (trimmed.length < open.length || line.length - line.trimStart().length > 3) return false;
  for (let i = 0; i < trimmed.length; i++) if (trimmed[i] !== open.char) return false;
  return true;
}

/**
 * Multi-line trace text (a prompt, an answer, thinking) as markdown lines that show it as written and can form no
 * link, image, HTML, heading, list, table or rule, nor end the block it is put in: every line escaped
 * (`escapeMarkdown`) with its line break (a hard break) and indentation kept, blank lines kept as paragraph breaks.
 * A fenced code block in the text stays a code block, re-fenced by `codeFence` (an unclosed one runs to the end, as
 * in CommonMark).
 * Every line break (CR, VT, FF, NEL, U+2028/9 too) ends a line, so no returned line holds one.
 */
export function proseMarkdown(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(LINE_BREAKS);
  let previousProse = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const open = fenceOpening(line);
    if (open === null) {
      const prose = proseLine(line);
      // A hard break (two trailing spaces) between two lines of one paragraph, so the line break shows.
      if (prose !== "" && previousProse >= 0 && previousProse === out.length - 1) out[previousProse] += "  ";
      previousProse = prose === "" ? -1 : out.length;
      out.push(prose);
      continue;
    }
    previousProse = -1;
    const code: string[] = [];
    for (i++; i < lines.length && !closesFence(lines[i] ?? "", open); i++) code.push(lines[i] ?? "");
    for (const fenced of codeFence(code.join("\n"), open.info.split(/[ \t]/)[0])) out.push(fenced);
  }
  return out;
}
