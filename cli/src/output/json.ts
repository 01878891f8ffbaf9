// Machine-readable output: the engine's contract objects (SPEC §6) printed as they are, two-space indented with a
// final newline. Formatters never add or rename keys here, so `--json` is exactly the documented contract; DEL and
// C1 controls inside strings are written as `\u` escapes (same values), so no raw control reaches a terminal.

import { isAscii } from "node:buffer";
import { jsonForTerminal } from "@ai-blame/shared";
import type { CliIo, TextSink } from "../io";

/** DEL and the C1 controls, the only controls JSON.stringify leaves raw (jsonForTerminal escapes exactly these). */
const DEL_C1 = /[\x7f-\x9f]/;
const DEL_C1_ALL = /[\x7f-\x9f]/g;

/** Characters encoded per piece: a blame of 10,000 lines is about 12 MB of JSON. */
export const PIECE_CHARS = 1 << 18;

/** `jsonForTerminal`'s escape applied to part of a JSON text (the escape is per character, so parts add up). */
function escapeDelC1(json: string): string {
  return DEL_C1.test(json) ? json.replace(DEL_C1_ALL, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : json;
}

/**
 * Whether UTF-8 bytes hold DEL (7f) or a C1 control (U+0080–U+009F). Pure ASCII needs only the byte search; other
 * text is checked on its characters.
 */
function hasDelOrC1(bytes: Buffer, text: string): boolean {
  if (bytes.indexOf(0x7f) !== -1) return true;
  return !isAscii(bytes) && DEL_C1.test(text);
}

/**
 * Writes a large JSON text through one reused buffer, a piece at a time, so no second copy of megabytes is made (an
 * encoded copy of a whole 12 MB text costs more than writing it). Pieces never split a surrogate pair.
 */
function writePieces(sink: TextSink, text: string): void {
  const buffer = Buffer.allocUnsafe(Math.min(text.length, PIECE_CHARS) * 3);
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + PIECE_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const piece = text.slice(at, end);
    const length = buffer.write(piece);
    const bytes = buffer.subarray(0, length);
    sink.writeBytesNow?.(hasDelOrC1(bytes, piece) ? Buffer.from(escapeDelC1(piece)) : bytes);
    at = end;
  }
}

/** Prints `value` as `jsonForTerminal` writes it, followed by a newline. */
export function printJson(io: CliIo, value: unknown): void {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) {
    io.stdout.write(`${jsonForTerminal(value)}\n`);
    return;
  }
  if (io.stdout.writeBytesNow) {
    writePieces(io.stdout, text);
    io.stdout.write("\n");
  } else {
    io.stdout.write(`${escapeDelC1(text)}\n`);
  }
}
