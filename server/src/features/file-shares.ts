// The custom request `aiBlame/fileShares`: each file of the workspace folders with AI-written lines and its share,
// for VS Code's explorer badges. One project-wide pass of the engine's `lineShares` (the `stats --lines` pass) per
// folder, run on the first request after an index change and kept for that index generation; nothing runs until a
// client asks, and a client asks again when `aiBlame/indexChanged` says the index changed.

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerCapabilities } from "vscode-languageserver/node";
import { FileSharesRequest, lineShares, type FileShareJson, type FileSharesResult } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { guard } from "../guard";
import type { Folder } from "../workspace";

/** The files of one folder with AI lines, from one pass over its current files. */
async function folderShares(ctx: ServerContext, folder: Folder): Promise<FileShareJson[]> {
  await folder.ready;
  const snapshot = folder.snapshot;
  if (!snapshot) return [];
  // The project may be the repository above the folder (the engine's project root): shares are of its files.
  const projectDir = folder.engine?.options.projectDir ?? folder.path;
  const started = performance.now();
  const shares: FileShareJson[] = [];
  const git = await ctx.documents.git(folder);
  await lineShares(snapshot, projectDir, git, null, (share) => {
    if (share.aiLines > 0) {
      shares.push({ uri: pathToFileURL(join(projectDir, share.file)).href, totalLines: share.totalLines, aiLines: share.aiLines });
    }
  });
  ctx.log.debug(`${FileSharesRequest} ${folder.name}: ${shares.length} files with AI lines, ${(performance.now() - started).toFixed(0)} ms`);
  return shares;
}

export function registerFileShares(ctx: ServerContext): ServerCapabilities {
  // Per folder: the generation a result was computed for, and the result (a promise, so concurrent requests share it).
  const cache = new WeakMap<Folder, { generation: number; shares: Promise<FileShareJson[]> }>();
  ctx.connection.onRequest(FileSharesRequest, () =>
    guard(ctx.log, FileSharesRequest, [] as FileSharesResult, async () => {
      const result: FileSharesResult = [];
      for (const folder of ctx.workspaces.all()) {
        await folder.ready;
        let cached = cache.get(folder);
        if (!cached || cached.generation !== folder.generation) {
          const shares = folderShares(ctx, folder);
          cached = { generation: folder.generation, shares };
          cache.set(folder, cached);
          // A failed pass is not kept: the next request tries again.
          shares.catch(() => {
            if (cache.get(folder)?.shares === shares) cache.delete(folder);
          });
        }
        for (const share of await cached.shares) result.push(share);
      }
      return result;
    }),
  );
  return {};
}
