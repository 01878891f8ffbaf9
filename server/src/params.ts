// Validation of incoming request parameters. A malformed request is answered with InvalidParams naming what is
// wrong, instead of failing deep inside a feature with a TypeError the client cannot act on.

import { ErrorCodes, ResponseError, type Position, type Range } from "vscode-languageserver/node";

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is Position {
  return (
    isRecord(value) &&
    Number.isInteger(value.line) &&
    Number.isInteger(value.character) &&
    (value.line as number) >= 0 &&
    (value.character as number) >= 0
  );
}

/** `params.textDocument.uri` (also accepts the flat `params.uri` of our custom requests). */
export function documentUri(params: unknown, method: string): string {
  if (isRecord(params)) {
    const doc = params.textDocument;
    if (isRecord(doc) && typeof doc.uri === "string" && doc.uri !== "") return doc.uri;
    if (typeof params.uri === "string" && params.uri !== "") return params.uri;
  }
  throw invalid(`${method}: params need a document URI (textDocument.uri)`);
}

export function position(params: unknown, method: string): Position {
  if (isRecord(params) && isPosition(params.position)) return params.position;
  throw invalid(`${method}: params need a position {line, character} of non-negative integers`);
}

export function range(params: unknown, method: string): Range {
  if (isRecord(params) && isRecord(params.range) && isPosition(params.range.start) && isPosition(params.range.end)) {
    return params.range as unknown as Range;
  }
  throw invalid(`${method}: params need a range {start, end}`);
}

/** A 0-based line number field of a custom request. */
export function lineNumber(params: unknown, method: string): number {
  if (isRecord(params) && Number.isInteger(params.line) && (params.line as number) >= 0) return params.line as number;
  throw invalid(`${method}: params need a 0-based integer line`);
}

export { invalid as invalidParams, isRecord };
