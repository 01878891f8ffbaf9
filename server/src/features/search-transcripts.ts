// workspace/executeCommand `aiBlame.searchTranscripts`: the engine's transcript search (the CLI's `transcript search`)
// over the sessions of every workspace folder, newest first, for the client's "Search AI sessions" picker. A bad
// query (empty, invalid regular expression) is an InvalidParams error with the engine's message.

import { ErrorCodes, ResponseError } from "vscode-languageserver/node";
import {
  Commands,
  isAiBlameError,
  type SearchTranscriptsArgs,
  type SearchTranscriptsHit,
  type SearchTranscriptsResult,
} from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { invalidParams, isRecord } from "../params";

const DEFAULT_LIMIT = 50;

export function searchArgsFrom(args: unknown[] | undefined): SearchTranscriptsArgs {
  const first = args?.[0];
  if (isRecord(first) && typeof first.query === "string" && first.query !== "") {
    const limit = typeof first.limit === "number" && Number.isInteger(first.limit) && first.limit > 0 ? first.limit : DEFAULT_LIMIT;
    return { query: first.query, regex: first.regex === true, caseSensitive: first.caseSensitive === true, limit };
  }
  throw invalidParams(`${Commands.searchTranscripts}: arguments must be [{query, regex?, caseSensitive?, limit?}]`);
}

export async function searchTranscriptsCommand(ctx: ServerContext, args: SearchTranscriptsArgs): Promise<SearchTranscriptsResult> {
  const hits: SearchTranscriptsHit[] = [];
  let totalMatches = 0;
  const seen = new Set<string>();
  let foldersWithHits = 0;
  for (const folder of ctx.workspaces.all()) {
    await folder.ready;
    const snapshot = folder.snapshot;
    if (!snapshot) continue;
    let result;
    try {
      result = await snapshot.searchTranscripts({ query: args.query, regex: args.regex === true, caseSensitive: args.caseSensitive === true });
    } catch (error) {
      if (isAiBlameError(error) && error.code === "usage") throw new ResponseError(ErrorCodes.InvalidParams, error.message);
      throw error;
    }
    if (result.matchingTranscripts.length > 0) foldersWithHits++;
    for (const hit of result.matchingTranscripts) {
      const t = hit.transcript;
      // Nested workspace folders can share a trace file: each session once.
      if (seen.has(t.traceFile)) continue;
      seen.add(t.traceFile);
      totalMatches++;
      hits.push({
        sessionId: t.sessionId,
        agent: t.agent,
        startTime: t.startTime,
        title: t.title,
        messageCount: t.messageCount,
        traceFile: t.traceFile,
        matches: hit.matches,
      });
    }
  }
  // One folder's hits are in `transcript list` order already (subagents under their session); several are merged.
  if (foldersWithHits > 1) hits.sort((a, b) => ((a.startTime ?? "") < (b.startTime ?? "") ? 1 : (a.startTime ?? "") > (b.startTime ?? "") ? -1 : 0));
  return { hits: hits.slice(0, args.limit ?? DEFAULT_LIMIT), totalMatches };
}
