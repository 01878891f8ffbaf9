// Groups a blame's lines into AI runs: maximal stretches of consecutive AI-written lines of one session, where a
// Claude subagent (`<parent>/agent-<id>`) counts as its parent session and any unattributed line ends a run. Code
// lenses and inlay hints mark AI regions built from these runs: runs of one session merge across a few human
// lines, and two runs that would carry the same label a few lines apart merge too, so interleaved human and AI
// lines do not multiply lenses. `fileRegion` is the whole file as one region (the per-file lens). Engine logic over a
// blame result, so every adapter groups lines the same way.

import { shortModelName, type BlameJson, type LineOwnerJson } from "../contract";

export interface AiRun {
  /** First and last line, 1-based, inclusive. In a run every line has an owner in `session`; a region may hold a few others. */
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
  return buildRuns(blame).map(finish);
}

/** Human lines a region absorbs between two runs of one session. */
export const REGION_GAP = 3;
/** Two runs of one session whose labels would be the same (same models, edits, newest edit) merge this far apart. */
export const SAME_LABEL_GAP = 8;

function sameLabel(a: Building, b: Building): boolean {
  if (a.newest.eventId !== b.newest.eventId || a.events.size !== b.events.size) return false;
  for (const event of b.events) if (!a.events.has(event)) return false;
  return finish(a).models.join() === finish(b).models.join();
}

function absorb(into: Building, run: Building): void {
  into.end = run.end;
  for (const [model, [lines]] of run.models) {
    const counted = into.models.get(model);
    if (counted) counted[0] += lines;
    else into.models.set(model, [lines, into.models.size]);
  }
  for (const event of run.events) into.events.add(event);
  if (newer(run.newest, into.newest)) into.newest = run.newest;
}

/**
 * The AI regions of a blame, top to bottom: a run joins the previous region of its session when at most
 * REGION_GAP lines lie between them, or SAME_LABEL_GAP when both would be labelled alike. A region may then hold
 * a few lines another session or a human wrote; every region starts on a line of its session.
 */
export function aiRegions(blame: BlameJson): AiRun[] {
  const regions: Building[] = [];
  const lastOfSession = new Map<string, Building>();
  for (const run of buildRuns(blame)) {
    const previous = lastOfSession.get(run.session);
    const gap = previous ? run.start - previous.end - 1 : Infinity;
    if (previous && (gap <= REGION_GAP || (gap <= SAME_LABEL_GAP && sameLabel(previous, run)))) {
      absorb(previous, run);
      continue;
    }
    regions.push(run);
    lastOfSession.set(run.session, run);
  }
  return regions.map(finish);
}

/** All AI-written lines of the file as one region starting at its first AI line (null when there is none). */
export function fileRegion(blame: BlameJson): AiRun | null {
  const runs = buildRuns(blame);
  const first = runs[0];
  if (!first) return null;
  for (const run of runs.slice(1)) absorb(first, run);
  first.session = runSession(first.newest.sessionId);
  return finish(first);
}

function buildRuns(blame: BlameJson): Building[] {
  const runs: Building[] = [];
  const shortNames = new Map<string, string>();
  let current: Building | null = null;
  for (const line of blame.lines) {
    const owner = line.owner;
    const session = owner ? runSession(owner.sessionId) : null;
    if (current && (session === null || session !== current.session || line.line !== current.end + 1)) {
      runs.push(current);
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
  if (current) runs.push(current);
  return runs;
}
