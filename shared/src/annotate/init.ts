// `init`: writes the starter `.ai-blame.yaml` into a project folder and nothing else. An existing config is kept
// unless forced; the write is atomic, so an interrupted init never leaves a half-written config behind.

import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-write";
import { AiBlameError } from "../util/errors";
import { CONFIG_FILE_NAME, initTemplate, type InitFlavor } from "./config";

/** Writes the template for `flavor` to `<dir>/.ai-blame.yaml`; returns the path written. */
export function writeInitConfig(dir: string, flavor: InitFlavor, force: boolean): string {
  const folder = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    throw new AiBlameError("not-found", `directory not found: ${folder}`);
  }
  if (!isDir) throw new AiBlameError("usage", `not a directory: ${folder}`);
  const path = join(folder, CONFIG_FILE_NAME);
  if (existsSync(path) && !force) {
    throw new AiBlameError("io", `config already exists at ${path} (use --force to overwrite)`);
  }
  try {
    writeFileAtomic(path, initTemplate(flavor));
  } catch (error) {
    throw new AiBlameError("io", `failed to write config file ${path}: ${(error as Error).message}`);
  }
  return path;
}
