// parseJsonObject against the plain reading (strict UTF-8 decode, then JSON.parse) on lines built to hit every path:
// ASCII, a few non-ASCII characters (escaped), dense non-ASCII (decoded), characters across block ends, raw bytes
// after a backslash, non-ASCII outside strings, and invalid UTF-8, which must be refused like the strict decoder does.

import { describe, expect, it } from "vitest";
import { parseJsonObject } from "../../src/traces/json-line";
import { seededRandom } from "../support/random";

const strict = new TextDecoder("utf-8", { fatal: true });

/** What the parser must return for `bytes`: the object, or undefined for invalid UTF-8, invalid JSON or a non-object. */
function plain(bytes: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(strict.decode(bytes));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function check(bytes: Buffer): void {
  expect(parseJsonObject(bytes)).toEqual(plain(bytes));
}

const PIECES = ["a", "x = 1\n", "é", "→", "中文", "😀", "\\", '"', "\t", "\u2028", "ÿ", " "];

describe("parseJsonObject", () => {
  it("reads lines with few or many non-ASCII characters as the strict decoder and JSON.parse do", () => {
    const next = seededRandom(7);
    for (let n = 0; n < 400; n++) {
      const dense = next() < 0.3;
      const parts: string[] = [];
      const length = Math.floor(next() * 3000);
      for (let i = 0; i < length; i++) parts.push(dense || next() < 0.02 ? PIECES[Math.floor(next() * PIECES.length)]! : "abcdefgh");
      const text = parts.join("");
      const key = next() < 0.2 ? "clé→" : "key";
      check(Buffer.from(JSON.stringify({ [key]: text, n, nested: { list: [text.slice(0, 50), "→"] } }), "utf8"));
    }
  });

  it("keeps characters that straddle a 1 KiB block end", () => {
    for (let pad = 1000; pad < 1030; pad++) {
      for (const ch of ["é", "→", "😀"]) check(Buffer.from(`{"k":"${"a".repeat(pad)}${ch}${"b".repeat(5)}${ch}"}`, "utf8"));
    }
  });

  it("refuses raw characters after a backslash and outside strings, as JSON does", () => {
    const lines = ['{"k":"\\é"}', '{"k":"\\\\é"}', '{"k":"a"é}', '{é:"a"}', '{"k":"\\u00e9é"}', '{"k":1é}', '["é"]', '"é"'];
    for (const line of lines) check(Buffer.from(line, "utf8"));
    expect(parseJsonObject(Buffer.from('{"k":"\\\\é"}', "utf8"))).toEqual({ k: "\\é" });
    expect(parseJsonObject(Buffer.from('{"k":"\\é"}', "utf8"))).toBeUndefined();
  });

  it("refuses invalid UTF-8: stray continuation, truncated, overlong, encoded surrogate, beyond U+10FFFF", () => {
    const bad = [[0x80], [0xe2, 0x86], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff]];
    for (const bytes of bad) {
      const line = Buffer.concat([Buffer.from('{"k":"ok ', "utf8"), Buffer.from(bytes), Buffer.from(' →"}', "utf8")]);
      expect(parseJsonObject(line)).toBeUndefined();
      check(line);
    }
  });
});
