// Writers of Claude Code JSONL records in the real format (field names as Claude Code 2.x records them), for
// index tests: a human prompt, an assistant tool call (Write or Edit) and the user record carrying its result.
// Each helper returns one line with its newline, so tests can write, append and cut traces byte-exactly.

export interface SessionCtx {
  sessionId: string;
  cwd: string;
  version?: string;
  model?: string;
}

let uuidCounter = 0;
function uuid(): string {
  uuidCounter += 1;
  return `00000000-0000-4000-8000-${uuidCounter.toString(16).padStart(12, "0")}`;
}

function base(ctx: SessionCtx, timestamp: string, parentUuid: string | null) {
  return {
    parentUuid,
    isSidechain: false,
    userType: "external",
    cwd: ctx.cwd,
    sessionId: ctx.sessionId,
    version: ctx.version ?? "2.0.75",
    gitBranch: "main",
    uuid: uuid(),
    timestamp,
  };
}

export function promptLine(ctx: SessionCtx, timestamp: string, text: string): string {
  return `${JSON.stringify({ ...base(ctx, timestamp, null), type: "user", message: { role: "user", content: text } })}\n`;
}

export function writeCallLine(ctx: SessionCtx, timestamp: string, toolUseId: string, filePath: string, content: string): string {
  const record = {
    ...base(ctx, timestamp, null),
    type: "assistant",
    requestId: `req_${toolUseId}`,
    message: {
      model: ctx.model ?? "claude-opus-4-5-20251101",
      id: `msg_${toolUseId}`,
      type: "message",
      role: "assistant",
      content: [{ type: "tool_use", id: toolUseId, name: "Write", input: { file_path: filePath, content } }],
      stop_reason: null,
      usage: { input_tokens: 12, output_tokens: 40 },
    },
  };
  return `${JSON.stringify(record)}\n`;
}

export function writeResultLine(ctx: SessionCtx, timestamp: string, toolUseId: string, filePath: string, content: string): string {
  const record = {
    ...base(ctx, timestamp, null),
    type: "user",
    message: {
      role: "user",
      content: [{ tool_use_id: toolUseId, type: "tool_result", content: `File created successfully at: ${filePath}` }],
    },
    toolUseResult: { type: "create", filePath, content, structuredPatch: [] },
  };
  return `${JSON.stringify(record)}\n`;
}

export function editCallLine(ctx: SessionCtx, timestamp: string, toolUseId: string, filePath: string, oldString: string, newString: string): string {
  const record = {
    ...base(ctx, timestamp, null),
    type: "assistant",
    message: {
      model: ctx.model ?? "claude-opus-4-5-20251101",
      id: `msg_${toolUseId}`,
      type: "message",
      role: "assistant",
      content: [
        { type: "text", text: "Updating the file." },
        { type: "tool_use", id: toolUseId, name: "Edit", input: { file_path: filePath, old_string: oldString, new_string: newString } },
      ],
    },
  };
  return `${JSON.stringify(record)}\n`;
}

export function editResultLine(
  ctx: SessionCtx,
  timestamp: string,
  toolUseId: string,
  filePath: string,
  originalFile: string,
  oldString: string,
  newString: string,
  isError = false,
): string {
  const record = {
    ...base(ctx, timestamp, null),
    type: "user",
    message: {
      role: "user",
      content: [{ tool_use_id: toolUseId, type: "tool_result", content: isError ? "Error: String not found" : "ok", ...(isError ? { is_error: true } : {}) }],
    },
    toolUseResult: isError
      ? "Error: String to replace not found in file."
      : { filePath, oldString, newString, originalFile, structuredPatch: [], userModified: false, replaceAll: false },
  };
  return `${JSON.stringify(record)}\n`;
}

/** A large irrelevant record (tool output), as most bytes of real traces are. */
export function noiseLine(ctx: SessionCtx, timestamp: string, size: number): string {
  const record = {
    ...base(ctx, timestamp, null),
    type: "user",
    message: { role: "user", content: [{ tool_use_id: "toolu_bash", type: "tool_result", content: "x".repeat(size) }] },
    toolUseResult: { stdout: "y".repeat(size), stderr: "", interrupted: false },
  };
  return `${JSON.stringify(record)}\n`;
}

/** Write calls number `first` to `first + count - 1` of a session into `project`, each with `noise` bytes and its result. */
export function writeCallsText(ctx: SessionCtx, project: string, first: number, count: number, noise: number): string {
  let text = "";
  for (let i = first; i < first + count; i++) {
    const ts = `2025-03-01T10:${String(i % 60).padStart(2, "0")}:01.000Z`;
    const file = `${project}/src/f${i}.ts`;
    text += writeCallLine(ctx, ts, `toolu_${ctx.sessionId}_${i}`, file, `export const v${i} = ${i};\n`);
    text += noiseLine(ctx, ts, noise);
    text += writeResultLine(ctx, ts, `toolu_${ctx.sessionId}_${i}`, file, `export const v${i} = ${i};\n`);
  }
  return text;
}
