// `ai-blame log`: per commit of a revision range, the lines it added and how many of them AI edits wrote, by model
// and agent; and the summary of a range (a pull request: BASE..HEAD) — AI share of added lines, per model, per file,
// and the sessions behind them with their first prompt line. Commits with a note are read from it; others are
// attributed from the local traces (content from git).

import type { Snapshot } from "../engine-api";
import { type CommitAttribution, CommitAttributor } from "./commit-attribution";
import type { NotesReader } from "./notes-reader";
import { listCommits, type Repository } from "./repository";

export interface ModelLinesJson {
  model: string;
  agent: string;
  lines: number;
}

/** One entry of `log --json` (newest first). */
export interface LogEntryJson {
  sha: string;
  author: string;
  authorTime: string;
  summary: string;
  added: number;
  ai: number;
  /** "note" (read from the commit's note), "trace" (local traces), "none" (no AI line found). */
  source: "note" | "trace" | "none";
  models: ModelLinesJson[];
  files: Array<{ path: string; added: number; ai: number }>;
}

export interface SessionSummaryJson {
  agent: string;
  sessionId: string;
  models: string[];
  lines: number;
  /** First line of the session's first prompt (local traces, else a prompt kept in a note), or null. */
  firstPrompt: string | null;
}

/** `log --summary --json`. */
export interface LogSummaryJson {
  range: string;
  commits: number;
  added: number;
  ai: number;
  /** ai / added, 0..1 (0 when nothing was added). */
  share: number;
  models: Array<ModelLinesJson & { share: number }>;
  files: Array<{ path: string; added: number; ai: number; share: number }>;
  sessions: SessionSummaryJson[];
}

/** Attributions of the commits of `range` (newest first), `maxCount` 0 for all. */
export async function attributeRange(
  repo: Repository,
  snapshot: Snapshot,
  notes: NotesReader,
  range: string,
  maxCount: number,
): Promise<CommitAttribution[]> {
  const commits = await listCommits(repo, range, maxCount > 0 ? maxCount : null);
  return new CommitAttributor(repo, snapshot, notes).attribute(commits, { useNotes: true, recover: false, withPrompts: false });
}

function byModel(attributions: CommitAttribution[]): ModelLinesJson[] {
  const tally = new Map<string, ModelLinesJson>();
  for (const a of attributions) {
    for (const file of a.files) {
      for (const r of file.owned) {
        const key = `${r.edit.model}\u0000${r.edit.agent}`;
        const known = tally.get(key) ?? { model: r.edit.model, agent: r.edit.agent, lines: 0 };
        known.lines += r.end - r.start + 1;
        tally.set(key, known);
      }
    }
  }
  return [...tally.values()].sort((a, b) => b.lines - a.lines || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

function aiLines(file: CommitAttribution["files"][number]): number {
  return file.owned.reduce((n, r) => n + r.end - r.start + 1, 0);
}

export function logEntries(attributions: CommitAttribution[]): LogEntryJson[] {
  return attributions.map((a) => {
    const files = a.files.map((f) => ({ path: f.path, added: f.added, ai: aiLines(f) }));
    return {
      sha: a.commit.sha,
      author: a.commit.author,
      authorTime: a.commit.authorTime,
      summary: a.commit.summary,
      added: files.reduce((n, f) => n + f.added, 0),
      ai: files.reduce((n, f) => n + f.ai, 0),
      source: a.source,
      models: byModel([a]),
      files,
    };
  });
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The first non-blank line of a prompt, at most 200 characters. */
function firstLine(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
  if (line === "") return null;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function summarize(range: string, attributions: CommitAttribution[], snapshot: Snapshot): LogSummaryJson {
  const entries = logEntries(attributions);
  const added = entries.reduce((n, e) => n + e.added, 0);
  const ai = entries.reduce((n, e) => n + e.ai, 0);
  const files = new Map<string, { path: string; added: number; ai: number }>();
  for (const entry of entries) {
    for (const f of entry.files) {
      const known = files.get(f.path) ?? { path: f.path, added: 0, ai: 0 };
      known.added += f.added;
      known.ai += f.ai;
      files.set(f.path, known);
    }
  }
  const prompts = new Map<string, string | null>();
  for (const s of snapshot.sessions()) if (s.firstPrompt) prompts.set(`${s.agent}\u0000${s.sessionId}`, s.firstPrompt);
  const sessions = new Map<string, SessionSummaryJson>();
  for (const a of attributions) {
    for (const file of a.files) {
      for (const r of file.owned) {
        const key = `${r.edit.agent}\u0000${r.edit.sessionId}`;
        let session = sessions.get(key);
        if (!session) {
          // A subagent's session id is `<parent>/agent-<id>`: its first prompt is the parent's.
          const parent = `${r.edit.agent}\u0000${r.edit.sessionId.split("/")[0] ?? ""}`;
          const prompt = prompts.get(key) ?? prompts.get(parent) ?? r.edit.prompt ?? null;
          session = { agent: r.edit.agent, sessionId: r.edit.sessionId, models: [], lines: 0, firstPrompt: firstLine(prompt) };
          sessions.set(key, session);
        }
        if (!session.models.includes(r.edit.model)) session.models.push(r.edit.model);
        session.lines += r.end - r.start + 1;
      }
    }
  }
  return {
    range,
    commits: entries.length,
    added,
    ai,
    share: share(ai, added),
    models: byModel(attributions).map((m) => ({ ...m, share: share(m.lines, added) })),
    files: [...files.values()]
      .filter((f) => f.added > 0)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => ({ ...f, share: share(f.ai, f.added) })),
    sessions: [...sessions.values()].sort((a, b) => b.lines - a.lines || (a.sessionId < b.sessionId ? -1 : 1)),
  };
}
