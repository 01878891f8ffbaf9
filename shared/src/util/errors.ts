// Typed engine errors. The engine throws only AiBlameError, whose `code` lets adapters choose the exit code or LSP
// error without parsing messages; bad trace input is never thrown (it is counted instead).

export type AiBlameErrorCode =
  | "usage"
  | "not-found"
  | "binary-file"
  | "bad-config"
  | "outside-root"
  | "io";

export class AiBlameError extends Error {
  readonly code: AiBlameErrorCode;

  constructor(code: AiBlameErrorCode, message: string) {
    super(message);
    this.name = "AiBlameError";
    this.code = code;
  }
}

export function isAiBlameError(value: unknown): value is AiBlameError {
  return value instanceof AiBlameError;
}
