// The launcher's shortcut to the bundle's code cache (launch.ts): the cache is named after the bundle's checksum, and
// checksumming the 1.9 MB bundle took ~0.7 ms of every command. Once a cache is found by checksum, a link named after
// the bundle file's identity (device, inode, size, modification and change times in nanoseconds) points to it, and
// the next run follows that link from one fstat of the bundle, without the checksum. Writing a file changes its
// modification and change times (the change time cannot be set back by anyone but the kernel), so a rebuilt or
// edited bundle has another identity and finds no link. The exception is a rewrite within one tick of the file
// system's clock (Linux file times move in steps of a few ms, FAT's and HFS+'s by 1-2 s): so a link is only made for
// a bundle last written more than 2 s before, when no write in the same tick can follow. V8 still compares the
// source length, and a cache found by checksum is used exactly as before.

import { readdirSync, renameSync, statSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** What fstat says of the bundle file, with nanosecond times. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** How long ago a bundle must have been written for its identity to stand for its bytes (see above). */
const SETTLED_NS = 2_000_000_000n;

const LINK_SUFFIX = ".link";

/** The link's file name for this identity and runtime key: `<16 hex digits>-<runtime>.link`. */
export function identityLinkName(id: FileIdentity, runtime: string, hash: (text: string) => string): string {
  return `${hash(`${id.dev}:${id.ino}:${id.size}:${id.mtimeNs}:${id.ctimeNs}`)}-${runtime}${LINK_SUFFIX}`;
}

/** Whether the bundle was last written (or had its metadata changed) more than SETTLED_NS before `nowNs`. */
export function identitySettled(id: FileIdentity, nowNs: bigint = BigInt(Date.now()) * 1_000_000n): boolean {
  return nowNs - id.mtimeNs > SETTLED_NS && nowNs - id.ctimeNs > SETTLED_NS;
}

/** Points `dir/link` at `dir/target` (a symlink renamed into place); silent where links cannot be made. */
export function linkCache(dir: string, link: string, target: string): void {
  const temp = join(dir, `${link}.${process.pid}.tmp`);
  try {
    symlinkSync(target, temp);
    renameSync(temp, join(dir, link));
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never made (no symlinks here, or a read-only folder): the checksum finds the cache as before.
    }
  }
}

/** Removes the links whose cache is gone (another build's, or one pruned). */
export function pruneLinks(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(LINK_SUFFIX)) continue;
      try {
        statSync(join(dir, name));
      } catch {
        unlinkSync(join(dir, name));
      }
    }
  } catch {
    // Another process cleaned first, or the folder is not ours to list.
  }
}
