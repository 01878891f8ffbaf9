// Small text-layout helpers shared by the human formatters: fixed-width cells that cut long values with `…`, UTC
// date formats of the reference, plurals. Widths count characters (code points), never bytes, so multi-byte paths
// are cut cleanly.

/** Any UTF-16 surrogate: without one, every code unit is a character and `length`/`slice` count characters. */
const SURROGATE = /[\ud800-\udfff]/;

/** Cuts `text` to `width` characters, ending in `…` when it was longer. */
export function fit(text: string, width: number): string {
  if (!SURROGATE.test(text)) {
    if (text.length <= width) return text;
    return width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + "…";
  }
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join("");
  return chars.slice(0, width - 1).join("") + "…";
}

/** The number of characters (code points) of `text`. */
function charCount(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

/** The width of the widest of `values` in characters, at least `min` (a loop: never `Math.max(...values)`). */
export function widest(values: readonly string[], min = 0): number {
  let width = min;
  for (const v of values) width = Math.max(width, charCount(v));
  return width;
}

/**
 * Every line of `text` without its trailing spaces and tabs: a scan from each line's end, linear in the text (the
 * regex /[ \t]+$/gm retries from every position of a long run of spaces, quadratic on trace text).
 */
export function trimLineEnds(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let end = line.length;
      while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
      return end === line.length ? line : line.slice(0, end);
    })
    .join("\n");
}

/** Left-aligned cell of exactly `width` characters (cut with `…` when longer). */
export function padRight(text: string, width: number): string {
  const cut = fit(text, width);
  return cut + " ".repeat(Math.max(0, width - charCount(cut)));
}

/** Right-aligned cell of at least `width` characters (never cut: used for numbers). */
export function padLeft(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - charCount(text))) + text;
}

/** Keeps the end of a long path: `...` + the last `width - 3` characters. */
export function tailPath(path: string, width: number): string {
  const chars = Array.from(path);
  if (chars.length <= width) return path;
  return "..." + chars.slice(chars.length - (width - 3)).join("");
}

function utcParts(iso: string): string[] | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return [
    String(d.getUTCFullYear()).padStart(4, "0"),
    two(d.getUTCMonth() + 1),
    two(d.getUTCDate()),
    two(d.getUTCHours()),
    two(d.getUTCMinutes()),
    two(d.getUTCSeconds()),
  ];
}

/** `YYYY-MM-DD HH:MM` in UTC; an unparsable timestamp is returned as recorded. */
export function formatMinute(iso: string): string {
  const p = utcParts(iso);
  return p ? `${p[0]}-${p[1]}-${p[2]} ${p[3]}:${p[4]}` : iso;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC; an unparsable timestamp is returned as recorded. */
export function formatSecond(iso: string): string {
  const p = utcParts(iso);
  return p ? `${p[0]}-${p[1]}-${p[2]} ${p[3]}:${p[4]}:${p[5]}` : iso;
}

/** `1 edit`, `2 edits`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** `agent@version`, or the agent alone when no version was recorded. */
export function agentLabel(agent: string, version: string | null): string {
  return version ? `${agent}@${version}` : agent;
}
