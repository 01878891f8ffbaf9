// Byte-level reading of a big Claude Code tool-result line: the whole-file texts of its `toolUseResult`
// (`originalFile`, `originalFileContents`) are found as JSON string tokens in the line's bytes and cut out, so
// JSON.parse reads only the few kilobytes around them, and the edit keeps a reference to each token instead of its
// text. Any layout this does not recognise returns null, and the caller parses the whole line as before. The text of
// the message's tool result block goes too (left empty): the parser reads only a result block's id and error flag,
// and that text (the edited lines as `cat -n` prints them, a non-ASCII arrow on each) sent the rest of the line to the
// slower decode for non-ASCII text: JSON.parse of what is left took 3.4 instead of 8 us per line on the bench corpus.
//
// Why the token's end is found without walking its bytes: in valid JSON a string ends at its first quote not escaped
// by an odd run of backslashes, and in Claude Code's compact layout that quote is followed by `,` or `}`. A file's
// text holds few quotes (each escaped), so its quotes are stepped over with a native search for `"`, each checked by
// its backslash run; the first unescaped one is the end, and a layout with anything but `,` or `}` after it
// (`"…" ,`) is refused. Where quotes are dense (every few dozen bytes), one native search per quote costs more than
// three over the whole text, so from there on the first unescaped `",` or `"}` is taken for the end, every earlier match
// of those needles being an escaped quote, and a range that holds a key's `":`, unescaped, which no string can hold,
// is refused. What is not checked here is the text's own validity (control characters, escapes, UTF-8): resolving
// the reference decodes the token strictly, and an invalid one reads as unavailable.

import type { ContentRef } from "../../store/content-ref";
import { decodeToken, guardOf, MIN_REF_BYTES } from "../../store/content-ref";
import { bytesAt } from "../../traces/jsonl-reader";

/** The result fields holding whole-file texts, cut out when large. */
/**
 * A Write's `content` is not among them: it is stored at once (its tool call's input, parsed anyway, holds the same
 * text), so a Write's lines keep their owner even when its trace goes before its other texts are copied.
 */
const FIELDS = ["originalFile", "originalFileContents"] as const;
export type TokenField = (typeof FIELDS)[number];

const RESULT = Buffer.from('"toolUseResult":{');
const KEYS = FIELDS.map((f) => Buffer.from(`"${f}":"`));
/** What both keys start with: one search finds either. */
const KEY_PREFIX = Buffer.from('"originalFile');
const PLACEHOLDERS = FIELDS.map((f) => Buffer.from(JSON.stringify(placeholder(f))));
/** A tool result block's text in the layout Claude Code writes (its id, then its type, then its text). */
const RESULT_TEXT = Buffer.from('"type":"tool_result","content":"');
const EMPTY_TEXT = Buffer.from('""');
const QUOTE_COMMA = Buffer.from('",');
const QUOTE_BRACE = Buffer.from('"}');
const KEY_END = Buffer.from('":');

/** A whole-file text of the line left in the trace: its reference, and its text decoded on demand from the line. */
export interface ResultToken {
  ref: ContentRef;
  /** The decoded text (only while the line's bytes are valid: during the parser's visit of the line). */
  text(): string | undefined;
}

/** What stands in the parsed record for a cut-out text (checked after parsing: it must sit where the text was). */
export function placeholder(field: TokenField): string {
  return `\u0000ref:${field}`;
}

/**
 * The line with its large whole-file texts replaced by placeholders (and its tool results' texts by empty ones), and
 * those texts' tokens; null when the line has none or its layout is not the one reasoned about above.
 */
export function cutResultTokens(line: Buffer, path: string, lineOffset: number): { line: Buffer; tokens: Map<TokenField, ResultToken> } | null {
  const result = line.indexOf(RESULT);
  if (result === -1) return null;
  const found: { field: TokenField; open: number; close: number }[] = [];
  // The first occurrence of each key after the result, in one pass: a token found is stepped over (no key lies inside
  // one: that would be an unescaped `":`, refused below).
  const seen = [false, false];
  let at = line.indexOf(KEY_PREFIX, result);
  while (at !== -1) {
    const i = bytesAt(line, at, KEYS[0]!) ? 0 : bytesAt(line, at, KEYS[1]!) ? 1 : -1;
    if (i === -1 || seen[i]) {
      at = line.indexOf(KEY_PREFIX, at + 1);
      continue;
    }
    seen[i] = true;
    const open = at + KEYS[i]!.length - 1;
    const close = stringEnd(line, open);
    if (close === -1) return null;
    if (close + 1 - open >= MIN_REF_BYTES) found.push({ field: FIELDS[i]!, open, close });
    at = line.indexOf(KEY_PREFIX, close + 1);
  }
  if (found.length === 0) return null;
  const parts: Buffer[] = [];
  const tokens = new Map<TokenField, ResultToken>();
  let copied = 0;
  for (const [open, close] of resultTexts(line, result)) {
    parts.push(line.subarray(copied, open), EMPTY_TEXT);
    copied = close + 1;
  }
  for (const { field, open, close } of found) {
    if (open < copied) return null;
    parts.push(line.subarray(copied, open), PLACEHOLDERS[FIELDS.indexOf(field)]!);
    copied = close + 1;
    const bytes = line.subarray(open, close + 1);
    const ref: ContentRef = { path, offset: lineOffset + open, length: bytes.length, guard: guardOf(bytes) };
    tokens.set(field, {
      ref,
      text: () => {
        const decoded = decodeToken(bytes);
        return "text" in decoded ? decoded.text : undefined;
      },
    });
  }
  parts.push(line.subarray(copied));
  return { line: Buffer.concat(parts), tokens };
}

/**
 * The string tokens (opening and closing quote) of the texts of the tool result blocks before `end` (the message's,
 * which precedes `toolUseResult`), in order; from a text whose end is not found on, none.
 */
function resultTexts(line: Buffer, end: number): [number, number][] {
  const texts: [number, number][] = [];
  // Searched in the message only: a line without such a block is not scanned to its end.
  const message = line.subarray(0, end);
  for (let at = message.indexOf(RESULT_TEXT); at !== -1; at = message.indexOf(RESULT_TEXT, at + 1)) {
    const open = at + RESULT_TEXT.length - 1;
    const close = stringEnd(line, open);
    if (close === -1 || close >= end) break;
    texts.push([open, close]);
    at = close;
  }
  return texts;
}

/** Quotes of a token stepped over one at a time before its density is judged. */
const QUOTE_STEPS = 32;
/**
 * Bytes per quote (on average, so far) under which the rest of a token is left to the needle searches: a search per
 * quote costs about what three native scans of ~256 bytes do. On the 200 MB bench corpus's edit results (~2 KB per
 * quote) the cut took 11 instead of 14-15 us per line; a text with a string literal on every line (a quote every ~15
 * bytes) takes the needles after 32 quotes, at the same cost as before.
 */
const SPARSE_QUOTES = 256;

/**
 * The closing quote of the string token opened at `open` when it is followed by `,` or `}`; -1 when there is none,
 * or the layout is another one (see the header).
 */
function stringEnd(line: Buffer, open: number): number {
  let at = open + 1;
  for (let steps = 1; ; steps++) {
    const quote = line.indexOf(0x22, at);
    if (quote === -1) return -1;
    if (!escaped(line, quote, open)) {
      const next = line[quote + 1];
      return next === 0x2c || next === 0x7d ? quote : -1;
    }
    at = quote + 1;
    if (steps >= QUOTE_STEPS && at - open < steps * SPARSE_QUOTES) return needleEnd(line, open, at);
  }
}

/**
 * The first unescaped `",` or `"}` of the token opened at `open` whose quote is at `from` or after (every quote before
 * `from` is escaped), when no unescaped `":` lies before it; -1 otherwise.
 */
function needleEnd(line: Buffer, open: number, from: number): number {
  const close = needleClose(line, open, from);
  return close !== -1 && noKeyBetween(line, open, from, close) ? close : -1;
}

function needleClose(line: Buffer, open: number, from: number): number {
  let comma = line.indexOf(QUOTE_COMMA, from);
  let brace = line.indexOf(QUOTE_BRACE, from);
  for (;;) {
    if (comma === -1 && brace === -1) return -1;
    const atComma = brace === -1 || (comma !== -1 && comma < brace);
    const at = atComma ? comma : brace;
    if (!escaped(line, at, open)) return at;
    if (atComma) comma = line.indexOf(QUOTE_COMMA, at + 1);
    else brace = line.indexOf(QUOTE_BRACE, at + 1);
  }
}

/** Whether no unescaped `":` (the end of a key) lies inside the token from `from` to its close. */
function noKeyBetween(line: Buffer, open: number, from: number, close: number): boolean {
  for (let at = line.indexOf(KEY_END, from); at !== -1 && at < close; at = line.indexOf(KEY_END, at + 1)) {
    if (!escaped(line, at, open)) return false;
  }
  return true;
}

/** Whether the quote at `quote` is escaped: preceded by an odd run of backslashes (not reaching back past `floor`). */
function escaped(line: Buffer, quote: number, floor: number): boolean {
  let slashes = 0;
  while (quote - slashes - 1 > floor && line[quote - slashes - 1] === 0x5c) slashes++;
  return slashes % 2 === 1;
}
