// Reading and replacing one annotate destination without losing anything the user had: the text is read together
// with the file's identity (device, inode, size, mtime, owner, links) and its UTF-8 BOM; the replacement keeps the
// BOM and the owner, is refused for a file with other hard links (a rename would split them), and is cancelled when
// the file changed between the read and the rename.

import { closeSync, fstatSync, openSync, readFileSync, statSync, type Stats } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";

interface Identity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  uid: number;
  gid: number;
  nlink: number;
}

export type TargetRead =
  | { text: string; bom: boolean; identity: Identity }
  | { missing: true }
  | { error: string };

/** Why a destination was not written: `changed` (someone wrote it meanwhile) or `refused` (links, owner). */
export class TargetNotWritten extends Error {
  constructor(
    readonly reason: "changed" | "refused",
    message: string,
  ) {
    super(message);
  }
}

const identityOf = (st: Stats): Identity => ({
  dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, uid: st.uid, gid: st.gid, nlink: st.nlink,
});

/** The destination's text (BOM removed and remembered) and identity, read from one open file. */
export function readTarget(path: string): TargetRead {
  let bytes: Buffer;
  let identity: Identity;
  try {
    const fd = openSync(path, "r");
    try {
      identity = identityOf(fstatSync(fd));
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { missing: true };
    return { error: `cannot read: ${(error as Error).message}` };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bom ? bytes.subarray(3) : bytes), bom, identity };
  } catch {
    return { error: "not UTF-8 text" };
  }
}

function sameFile(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Replaces (or creates, when `read` is null) the destination atomically. Refuses a file with other hard links and
 * a file of another owner unless running as root (then the owner is kept); throws TargetNotWritten("changed") when
 * the file is not the one read (or appeared meanwhile) right before the rename.
 */
export function writeTarget(path: string, text: string, read: { bom: boolean; identity: Identity } | null, key: string): void {
  const uid = process.getuid?.();
  if (read) {
    const { identity } = read;
    if (identity.nlink > 1) {
      throw new TargetNotWritten(
        "refused",
        `${key} has ${identity.nlink} hard links: annotate replaces files by renaming, which would split them; left untouched`,
      );
    }
    if (uid !== undefined && uid !== 0 && identity.uid !== uid) {
      throw new TargetNotWritten("refused", `${key} belongs to another user (uid ${identity.uid}); left untouched`);
    }
  }
  const beforeRename = (): void => {
    let now: Identity | null = null;
    try {
      now = identityOf(statSync(path));
    } catch {
      now = null;
    }
    const unchanged = read === null ? now === null : now !== null && sameFile(now, read.identity);
    if (!unchanged) throw new TargetNotWritten("changed", `${key} changed during annotate; left as it is (run annotate again)`);
  };
  // Root keeps the owner and group; anyone else keeps the group when the new file would get another one.
  const keepOwner = read !== null && uid !== undefined && (uid === 0 || read.identity.gid !== process.getgid?.());
  const owner = keepOwner ? { uid: read.identity.uid, gid: read.identity.gid } : undefined;
  writeFileAtomic(path, read?.bom ? `\ufeff${text}` : text, { beforeRename, ...(owner ? { owner } : {}) });
}
