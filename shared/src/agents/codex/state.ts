// The resumable state of the Codex parser: session metadata, the current turn (model, cwd), the latest prompt, calls
// waiting for their output and the ids of calls already settled (so a later `patch_apply_end` or output for the same
// call is ignored). Collections are insertion-ordered and capped; the whole state is plain JSON.

import type { SessionInfo } from "../../events/edit-event";
import { asRecord, asString, boundedSet, isSessionInfo, newSession, restoreMap, type Json } from "../../traces/common";
import type { ResolvedOp } from "./changes";

const PENDING_CAP = 256;
const DONE_CAP = 1024;

export interface PendingCall {
  toolName: string;
  ops: ResolvedOp[];
  model: string | null;
  promptId: string | null;
  promptText: string | null;
}

function isPendingCall(value: unknown): value is PendingCall {
  const r = asRecord(value);
  return !!r && typeof r.toolName === "string" && Array.isArray(r.ops);
}

function isTrue(value: unknown): value is true {
  return value === true;
}

export class CodexState {
  sessionId: string | null = null;
  session: SessionInfo | null = null;
  model: string | null = null;
  turnCwd: string | null = null;
  prompt: { id: string; text: string | null } | null = null;
  pending = new Map<string, PendingCall>();
  done = new Map<string, true>();
  private path = "";

  static restore(raw: unknown, path: string): CodexState {
    const state = new CodexState();
    state.path = path;
    const r = asRecord(raw);
    if (r?.v !== 1) return state;
    state.sessionId = asString(r.sessionId) ?? null;
    state.session = isSessionInfo(r.session) && r.session.traceFile === path ? { ...r.session, models: [...r.session.models] } : null;
    state.model = asString(r.model) ?? null;
    state.turnCwd = asString(r.turnCwd) ?? null;
    const prompt = asRecord(r.prompt);
    const id = asString(prompt?.id);
    state.prompt = id ? { id, text: asString(prompt?.text) ?? null } : null;
    state.pending = restoreMap(r.pending, isPendingCall);
    state.done = restoreMap(r.done, isTrue);
    return state;
  }

  serialize(): unknown {
    return {
      v: 1,
      sessionId: this.sessionId,
      session: this.session,
      model: this.model,
      turnCwd: this.turnCwd,
      prompt: this.prompt,
      pending: [...this.pending],
      done: [...this.done],
    };
  }

  /** The session of this file, created from the file name when no session_meta has been seen. */
  ensureSession(fallbackId: string): SessionInfo {
    if (!this.session) {
      this.sessionId ??= fallbackId;
      this.session = newSession(this.sessionId, "codex-cli", this.path);
    }
    return this.session;
  }

  /** Applies `session_meta`; only the first one names the session (forks may copy their parent's). */
  sessionMeta(payload: Json, path: string): void {
    const id = asString(payload.id);
    if (this.session && this.session.agentVersion !== null) return;
    if (!this.session) {
      this.sessionId = id ?? this.sessionId;
      if (this.sessionId === null) return;
      this.session = newSession(this.sessionId, "codex-cli", path);
    }
    const s = this.session;
    s.cwd ??= asString(payload.cwd) ?? null;
    s.agentVersion = asString(payload.cli_version) ?? s.agentVersion;
    s.gitBranch ??= asString(asRecord(payload.git)?.branch) ?? null;
    s.parentSessionId ??= asString(payload.parent_thread_id) ?? null;
    this.turnCwd ??= s.cwd;
  }

  addPending(callId: string, call: PendingCall): void {
    boundedSet(this.pending, callId, call, PENDING_CAP);
  }

  takePending(callId: string): PendingCall | undefined {
    const call = this.pending.get(callId);
    if (call) this.pending.delete(callId);
    return call;
  }

  markDone(callId: string): void {
    boundedSet(this.done, callId, true, DONE_CAP);
  }

  isDone(callId: string): boolean {
    return this.done.has(callId);
  }
}
