// The resumable state of the Claude parser: pending tool calls by id, the recent uuid chain (each uuid with the
// prompt and nearest model above it, so lookups never walk), prompt texts, the current model and the sessions seen.
// Every collection is insertion-ordered and capped, so the serialised state stays small on any session length.
// The chain is serialised with each distinct [prompt, model] pair once (a chain's records share their pair): a uuid
// and a pair number per link, where each link's own pair made it ~110 bytes and most of the state (15 MB at 1 GB).

import type { SessionInfo } from "../../events/edit-event";
import { asRecord, asString, boundedSet, isSessionInfo, newSession, restoreMap, type Json } from "../../traces/common";

const PENDING_CAP = 256;
const LINK_CAP = 1024;
const PROMPT_CAP = 256;
const SESSION_CAP = 32;

export interface Pending {
  name: string;
  model: string | null;
  promptId: string | null;
  /** Slimmed tool input of Write/Edit/MultiEdit/NotebookEdit (fallback when the result lacks fields). */
  input: Json | null;
  /** Bash heredoc writes, paths already resolved. */
  writes: { path: string; content: string }[] | null;
  /** Bash renames (`mv`, `git mv`), paths already resolved. */
  moves?: { from: string; to: string }[];
}

/** uuid → [promptId above it, nearest model above it]. */
type Link = [string | null, string | null];

function isPending(value: unknown): value is Pending {
  const r = asRecord(value);
  return !!r && typeof r.name === "string";
}

function isLink(value: unknown): value is Link {
  return Array.isArray(value) && value.length === 2 && value.every((v) => v === null || typeof v === "string");
}

/**
 * The chain as its distinct pairs and a flat list `uuid, pair number, …` in insertion order (the order is the map's
 * eviction order, kept across a resume). Pairs are told apart by identity: link() shares its parent's pair.
 */
function serializeLinks(links: Map<string, Link>): { pairs: Link[]; links: (string | number)[] } {
  const numbers = new Map<Link, number>();
  const pairs: Link[] = [];
  const flat: (string | number)[] = [];
  for (const [uuid, link] of links) {
    let n = numbers.get(link);
    if (n === undefined) {
      n = pairs.length;
      numbers.set(link, n);
      pairs.push(link);
    }
    flat.push(uuid, n);
  }
  return { pairs, links: flat };
}

/** The chain serializeLinks wrote, links sharing their pair again; entries of another shape are left out. */
function restoreLinks(rawPairs: unknown, rawLinks: unknown): Map<string, Link> {
  const links = new Map<string, Link>();
  if (!Array.isArray(rawPairs) || !Array.isArray(rawLinks)) return links;
  const pairs = rawPairs.map((pair) => (isLink(pair) ? pair : undefined));
  for (let i = 0; i + 1 < rawLinks.length; i += 2) {
    const uuid: unknown = rawLinks[i];
    const n: unknown = rawLinks[i + 1];
    const pair = typeof n === "number" && Number.isInteger(n) && n >= 0 ? pairs[n] : undefined;
    if (typeof uuid === "string" && pair !== undefined) links.set(uuid, pair);
  }
  return links;
}

function isPromptText(value: unknown): value is string | null {
  return value === null || typeof value === "string";
}

export class ClaudeState {
  pending = new Map<string, Pending>();
  links = new Map<string, Link>();
  prompts = new Map<string, string | null>();
  lastPrompt: string | null = null;
  model: string | null = null;
  sessions = new Map<string, SessionInfo>();
  current: string | null = null;
  head: { sessionId: string | null; cwd: string | null; version: string | null } = { sessionId: null, cwd: null, version: null };

  static restore(raw: unknown, path: string): ClaudeState {
    const state = new ClaudeState();
    const r = asRecord(raw);
    if (r?.v !== 2) return state;
    state.pending = restoreMap(r.pending, isPending);
    state.links = restoreLinks(r.linkPairs, r.links);
    state.prompts = restoreMap(r.prompts, isPromptText);
    state.lastPrompt = asString(r.lastPrompt) ?? null;
    state.model = asString(r.model) ?? null;
    for (const s of Array.isArray(r.sessions) ? r.sessions : []) {
      if (isSessionInfo(s) && s.traceFile === path) state.sessions.set(s.sessionId, { ...s, models: [...s.models] });
    }
    state.current = asString(r.current) ?? null;
    const head = asRecord(r.head);
    state.head = {
      sessionId: asString(head?.sessionId) ?? null,
      cwd: asString(head?.cwd) ?? null,
      version: asString(head?.version) ?? null,
    };
    return state;
  }

  serialize(): unknown {
    const { pairs, links } = serializeLinks(this.links);
    return {
      v: 2,
      pending: [...this.pending],
      linkPairs: pairs,
      links,
      prompts: [...this.prompts],
      lastPrompt: this.lastPrompt,
      model: this.model,
      sessions: [...this.sessions.values()],
      current: this.current,
      head: this.head,
    };
  }

  headComplete(): boolean {
    return this.head.sessionId !== null && this.head.cwd !== null && this.head.version !== null;
  }

  addPending(id: string, pending: Pending): void {
    boundedSet(this.pending, id, pending, PENDING_CAP);
  }

  takePending(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    return p;
  }

  /** Registers a record in the uuid chain; it inherits prompt and model from its parent unless it has its own. */
  link(uuid: string, parent: string | null, ownPrompt: string | null, ownModel: string | null): void {
    const above = parent !== null ? this.links.get(parent) : undefined;
    const prompt = ownPrompt ?? above?.[0] ?? null;
    const model = ownModel ?? above?.[1] ?? null;
    // Most records inherit both: they share their parent's pair (links are never changed in place), so the chain of a
    // long trace does not hold a pair per record through every collection until it is evicted.
    const link: Link = above !== undefined && above[0] === prompt && above[1] === model ? above : [prompt, model];
    boundedSet(this.links, uuid, link, LINK_CAP);
  }

  promptOf(uuid: string | null): string | null {
    return uuid !== null ? (this.links.get(uuid)?.[0] ?? null) : null;
  }

  modelOf(uuid: string | null): string | null {
    return uuid !== null ? (this.links.get(uuid)?.[1] ?? null) : null;
  }

  addPrompt(id: string, text: string | null): void {
    boundedSet(this.prompts, id, text, PROMPT_CAP);
    this.lastPrompt = id;
  }

  promptText(id: string): string | null | undefined {
    return this.prompts.get(id);
  }

  currentSession(): SessionInfo | undefined {
    return this.current !== null ? this.sessions.get(this.current) : undefined;
  }

  /** The session a record belongs to (a subagent file's records form their own session), updated with its metadata. */
  sessionFor(rec: Json, fileName: string, path: string): SessionInfo {
    const recorded = asString(rec.sessionId);
    const cwd = asString(rec.cwd);
    const version = asString(rec.version);
    if (recorded) this.head.sessionId ??= recorded;
    if (cwd) this.head.cwd ??= cwd;
    if (version) this.head.version ??= version;
    const names = this.namesOf(fileName);
    const parentId = recorded ?? this.head.sessionId ?? names.stem;
    const fromName = names.agent;
    const agentId = asString(rec.agentId) ?? fromName;
    const isSubagent = agentId !== undefined && (rec.isSidechain === true || fromName !== undefined);
    const sessionId = isSubagent ? `${parentId}/agent-${agentId}` : parentId;
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = newSession(sessionId, "claude-code", path);
      if (isSubagent) {
        session.parentSessionId = parentId;
        session.subagentId = agentId ?? null;
      }
      boundedSet(this.sessions, sessionId, session, SESSION_CAP);
    }
    this.current = sessionId;
    if (cwd && session.cwd === null) session.cwd = cwd;
    if (version) session.agentVersion = version;
    const branch = asString(rec.gitBranch);
    if (branch) session.gitBranch = branch;
    const slug = asString(rec.slug);
    if (slug) session.slug = slug;
    return session;
  }

  /** The file name without its extension, and the agent id a subagent file is named by (worked out once per file). */
  private names: { fileName: string; stem: string; agent: string | undefined } | undefined;

  private namesOf(fileName: string): { stem: string; agent: string | undefined } {
    if (this.names?.fileName !== fileName) {
      const agent = /^agent-(.+?)\.jsonl(\.zst)?$/.exec(fileName)?.[1];
      this.names = { fileName, stem: fileName.replace(/\.jsonl(\.zst)?$/, ""), agent };
    }
    return this.names;
  }

  sessionList(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s, models: [...s.models] }));
  }
}
