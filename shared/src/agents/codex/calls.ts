// Interprets Codex tool calls that can write files: `apply_patch` as a custom tool, as a function, or run through a
// shell (`["apply_patch", patch]`, `bash -lc "apply_patch <<'EOF' …"`), and shell heredoc writes; and decides from a
// call's output whether it succeeded. Pure functions over untrusted payloads: anything unexpected means "no edit".

import { extractPatchFromScript, parseApplyPatch, type PatchOp } from "../../traces/apply-patch";
import { asArray, asRecord, asString, type Json } from "../../traces/common";
import { findHeredocWrites, type HeredocWrite } from "../../traces/shell-heredoc";

export interface CallEdits {
  /** `apply_patch` operations, or null when the call writes through heredocs. */
  ops: PatchOp[] | null;
  writes: HeredocWrite[];
  /** The call's working directory when it names one (`workdir`), else null (the turn's cwd applies). */
  workdir: string | null;
}

const SHELLS = new Set(["bash", "sh", "zsh", "dash", "/bin/bash", "/bin/sh", "/bin/zsh", "/usr/bin/bash", "/usr/bin/zsh"]);

/** The edits of a `function_call` or `local_shell_call` payload, or null when it does not write files. */
export function functionCallEdits(payload: Json): CallEdits | null {
  const name = asString(payload.name);
  let args: Json | undefined;
  const rawArgs = payload.arguments;
  if (typeof rawArgs === "string") {
    try {
      args = asRecord(JSON.parse(rawArgs));
    } catch {
      // Some tools take free-form text; apply_patch as a function may receive the bare patch.
      if (name === "apply_patch") return patchEdits(rawArgs, null);
      return null;
    }
  } else {
    args = asRecord(rawArgs) ?? asRecord(payload.action);
  }
  if (!args) return null;
  const workdir = asString(args.workdir) ?? asString(args.working_directory) ?? asString(args.cwd) ?? null;
  if (name === "apply_patch") {
    const input = asString(args.input) ?? asString(args.patch);
    return input ? patchEdits(input, workdir) : null;
  }
  const command = args.command ?? args.cmd;
  const argv = asArray(command);
  if (argv) {
    if (!argv.every((a) => typeof a === "string")) return null;
    const words = argv as string[];
    if ((words[0] === "apply_patch" || words[0] === "applypatch") && words[1] !== undefined) return patchEdits(words[1], workdir);
    if (words[0] !== undefined && SHELLS.has(words[0]) && words.length >= 3 && /^-\w*c$/.test(words[1]!)) {
      return scriptEdits(words[words.length - 1]!, workdir);
    }
    return null;
  }
  const script = asString(command);
  return script ? scriptEdits(script, workdir) : null;
}

/** The edits of a `custom_tool_call` payload (`apply_patch` with the patch as `input`). */
export function customToolCallEdits(payload: Json): CallEdits | null {
  const name = asString(payload.name);
  const input = asString(payload.input);
  if (!input || (name !== "apply_patch" && name !== "applypatch")) return null;
  return patchEdits(input, null);
}

function patchEdits(text: string, workdir: string | null): CallEdits | null {
  const ops = parseApplyPatch(text);
  return ops ? { ops, writes: [], workdir } : null;
}

function scriptEdits(script: string, workdir: string | null): CallEdits | null {
  const patch = extractPatchFromScript(script);
  if (patch !== null) return patchEdits(patch, workdir);
  const writes = findHeredocWrites(script);
  return writes.length > 0 ? { ops: null, writes, workdir } : null;
}

/**
 * Whether a `function_call_output` / `custom_tool_call_output` reports success: a JSON string with
 * `metadata.exit_code`, an `{content, success}` object, or text starting with "Exit code: N" / "Success".
 * Output that says neither is not taken as success.
 */
export function outputSucceeded(output: unknown): boolean {
  const obj = asRecord(output);
  if (obj) {
    if (typeof obj.success === "boolean") return obj.success;
    return outputSucceeded(obj.content ?? obj.output);
  }
  const text = asString(output);
  if (text === undefined) return false;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = asRecord(JSON.parse(trimmed));
      const metadata = asRecord(parsed?.metadata);
      if (metadata && typeof metadata.exit_code === "number") return metadata.exit_code === 0;
      if (parsed && (typeof parsed.output === "string" || typeof parsed.success === "boolean")) return outputSucceeded(parsed);
    } catch {
      // Plain text that happens to start with a brace.
    }
  }
  const exit = /^(?:Exit code:|Process exited with code) (-?\d+)/m.exec(trimmed);
  if (exit) return Number(exit[1]) === 0;
  return /^Success\b/.test(trimmed);
}
