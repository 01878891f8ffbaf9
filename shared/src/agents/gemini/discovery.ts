// Gemini CLI's trace discovery. Sessions live in `<home>/.gemini/tmp/<project id>/chats/` (`$GEMINI_CLI_HOME`
// replaces the home; `--home` replaces both): the project id was the sha256 of the project's absolute path and is now
// a readable slug registered in `.gemini/projects.json` (`{"projects": {"<abs path>": "<slug>"}}`) with the path in a
// `.project_root` marker inside the folder. Folders of the project and of folders inside it are taken from all
// three, and each session file is kept only when the `projectHash` it recorded is the sha256 of that folder's path.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { open, readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { normalizePath } from "../../util/paths";
import type { DiscoveryContext } from "../agent";

const HEAD_BYTES = 64 * 1024;
const PROJECT_HASH = /"projectHash"\s*:\s*"([0-9a-fA-F]{64})"/;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Gemini CLI's slug for a new project folder (`projectRegistry` slugify of the folder name). */
export function geminiSlug(projectPath: string): string {
  const slug = basename(projectPath).toLowerCase().replace(/[^a-z0-9]/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  return slug === "" ? "project" : slug;
}

/** A small file's text (projects.json, a folder's .project_root), read synchronously; null when it cannot be read. */
async function readText(path: string): Promise<string | null> {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** The projectHash a session file's head records: null when it names none, undefined when it cannot be read. */
async function headHash(path: string): Promise<string | null | undefined> {
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      return PROJECT_HASH.exec(buffer.toString("utf8", 0, bytesRead))?.[1]?.toLowerCase() ?? null;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** `tmp/<folder>` → the project paths whose sessions it may hold (what their recorded projectHash must match). */
async function candidateFolders(ctx: DiscoveryContext, gemini: string): Promise<Map<string, Set<string>>> {
  const tmp = join(gemini, "tmp");
  const folders = new Map<string, Set<string>>();
  const claim = (folder: string, projectPath: string): void => {
    if (folder === "" || folder.includes("/") || folder.includes("\\") || folder === "." || folder === "..") return;
    const set = folders.get(folder) ?? new Set<string>();
    set.add(projectPath);
    folders.set(folder, set);
  };
  for (const path of ctx.projectPaths) claim(sha256Hex(path), path);
  const registry = await readText(join(gemini, "projects.json"));
  if (registry !== null) {
    try {
      const projects = (JSON.parse(registry) as { projects?: unknown }).projects;
      if (projects && typeof projects === "object") {
        for (const [path, slug] of Object.entries(projects as Record<string, unknown>)) {
          if (typeof slug === "string" && ctx.inProject(normalizePath(path))) claim(slug, path);
        }
      }
    } catch {
      ctx.countUnreadable();
    }
  }
  let names: string[] = [];
  try {
    // A missing folder answers without an error (a rejected fs promise costs ~0.3 ms: its error and stack).
    names = statSync(tmp, { throwIfNoEntry: false }) === undefined ? [] : await readdir(tmp);
  } catch {
    names = [];
  }
  for (const name of names) {
    const marker = (await readText(join(tmp, name, ".project_root")))?.trim();
    if (marker && ctx.inProject(normalizePath(marker))) claim(name, marker);
  }
  // The folder a first Gemini session here would create, so that a watcher sees it appear.
  for (const path of ctx.projectPaths) if (!folders.has(geminiSlug(path))) folders.set(geminiSlug(path), new Set([path]));
  return folders;
}

export async function discoverGemini(ctx: DiscoveryContext): Promise<void> {
  const gemini = normalizePath(join(ctx.homeVariable("GEMINI_CLI_HOME") || ctx.home, ".gemini"));
  for (const [folder, paths] of await candidateFolders(ctx, gemini)) {
    const chats = normalizePath(join(gemini, "tmp", folder, "chats"));
    const exists = await ctx.exists(chats);
    ctx.watch({ path: chats, exists });
    if (!exists) continue;
    const hashes = new Set([...paths].map(sha256Hex));
    for (const file of await ctx.walk(chats, { extraSuffixes: [".json"] })) {
      const hash = await headHash(file.path);
      if (hash === undefined) ctx.countUnreadable();
      else if (hash !== null && hashes.has(hash)) ctx.add(file);
    }
  }
}
