// The one markdown escaper for trace text (model ids, prompts, paths, session ids) that reaches a markdown renderer:
// the server's hovers and the transcript markdown. Escaped text shows as typed and never forms markup — no emphasis,
// code, HTML, headings or lists, and no links or images of any kind (inline, reference, `<…>` autolinks and the GFM
// bare `https://…`, `www.…` and e-mail autolinks). Code spans and fences get a backtick run longer than any inside.

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
