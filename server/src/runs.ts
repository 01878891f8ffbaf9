// Groups a blame's lines into AI runs: maximal stretches of consecutive AI-written lines of one session, where a
// Claude subagent (`<parent>/agent-<id>`) counts as its parent session and any unattributed line ends a run. Code
// lenses and inlay hints are both built from these runs, so they always mark the same lines.

import { shortModelName, type BlameJson, type LineOwnerJson } from "@ai-blame/shared/contract";

export interface AiRun {
  /** First and last line, 1-based, inclusive. Every line in between has an owner in `session`. */
  start: number;
  end: number;
  /** The session the run is grouped by (a subagent's parent session). */
  session: string;
  /** Short model names of the run's lines, most lines first (ties: the model that appears first). */
  models: string[];
  /** Distinct edit events owning lines of the run. */
  edits: number;
  /** The newest of those events (its time titles the run; its transcript is what the run opens). */
  newest: LineOwnerJson;
}

/** The session a line is grouped by: a Claude subagent's `<parent>/agent-<id>` counts as `<parent>`. */
export function runSession(sessionId: string): string {
  const cut = sessionId.indexOf("/agent-");
  return cut > 0 ? sessionId.slice(0, cut) : sessionId;
}

/** Whether `a` is newer than `b` (ISO times; unparsable ones compare as text). */
function newer(a: LineOwnerJson, b: LineOwnerJson): boolean {
  const ta = Date.parse(a.timestamp);
  const tb = Date.parse(b.timestamp);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta > tb;
  return a.timestamp > b.timestamp;
}

interface Building {
  start: number;
  end: number;
  session: string;
  /** Short model → [line count, order of first appearance]. */
  models: Map<string, [number, number]>;
  events: Set<string>;
  newest: LineOwnerJson;
}

function finish(run: Building): AiRun {
  const models = [...run.models.entries()]
    .sort(([, [linesA, firstA]], [, [linesB, firstB]]) => linesB - linesA || firstA - firstB)
    .map(([model]) => model);
  return { start: run.start, end: run.end, session: run.session, models, edits: run.events.size, newest: run.newest };
}

/** The AI runs of a blame, top to bottom. */
export function aiRuns(blame: BlameJson): AiRun[] {
  const runs: AiRun[] = [];
  const shortNames = new Map<string, string>();
  let current: Building | null = null;
  for (const line of blame.lines) {
    const owner = line.owner;
    const session = owner ? runSession(owner.sessionId) : null;
    if (current && (session === null || session !== current.session || line.line !== current.end + 1)) {
      runs.push(finish(current));
      current = null;
    }
    if (!owner || session === null) continue;
    if (!current) {
      current = { start: line.line, end: line.line, session, models: new Map(), events: new Set(), newest: owner };
    }
    current.end = line.line;
    let model = shortNames.get(owner.model);
    if (model === undefined) shortNames.set(owner.model, (model = shortModelName(owner.model)));
    const counted = current.models.get(model);
    if (counted) counted[0]++;
    else current.models.set(model, [1, current.models.size]);
    // Consecutive lines mostly share an owner: compare times only for an event the run has not seen yet.
    if (!current.events.has(owner.eventId)) {
      current.events.add(owner.eventId);
      if (newer(owner, current.newest)) current.newest = owner;
    }
  }
  if (current) runs.push(finish(current));
  return runs;
}
