// opencode as an agent module: the SQLite database `opencode.db` (1.2 and later) and the JSON storage of older
// versions, under `~/.local/share/opencode/`. Its sessions have no per-file transcript here.

import type { AgentModule } from "../agent";
import { discoverOpencode } from "./discovery";
import { OpencodeTraceParser } from "./parser";
import { isStorageSession } from "./storage";

export const opencodeAgent: AgentModule<"opencode"> = {
  kind: "opencode",
  name: "opencode",
  displayName: "opencode",
  parser: new OpencodeTraceParser(),
  discover: discoverOpencode,
  extraTraceSuffixes: [".db", ".db-wal"],
  ownsFileName: (name) => name === "opencode.db",
  matchesHeadRecord: () => 0,
  matchesHeadText: () => false,
  hasNoTranscript: (path) => path.endsWith(".db") || isStorageSession(path),
  transcripts: { looksLike: () => false, parse: () => { throw new Error("opencode sessions have no transcript reader"); } },
};
