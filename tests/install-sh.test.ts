// install.sh against a local HTTP server serving release assets as the release workflow publishes them: the built
// CLI core (an executable file with a node shebang, standing in for the single executable, which python-dist's tests
// install the same way) under each platform's asset name, and SHA256SUMS written by scripts/release-checksums.sh.
// It installs and the installed `ai-blame --version` runs; it picks glibc/musl and arch from uname/ldd (faked here);
// it refuses a corrupted download and leaves the ai-blame already installed alone; it fails clearly on a missing
// asset or checksum line and on an unsupported machine.

import { execFile, execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
// The core bundle runs on its own (the launcher ai-blame.js needs it beside itself), as the single executable does.
const bundle = join(root, "cli", "dist", "ai-blame-core.js");
const ASSETS = ["ai-blame-linux-x64", "ai-blame-linux-arm64", "ai-blame-linux-x64-musl", "ai-blame-darwin-arm64"];

let server: Server;
let base: string;
const served = new Map<string, Buffer>();

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A folder of fake `uname` and `ldd` that report the given machine, first on PATH. */
function fakeMachine(os: string, arch: string, libc: "glibc" | "musl" = "glibc"): string {
  const bin = temp("ai-blame-fake-bin-");
  writeFileSync(join(bin, "uname"), `#!/bin/sh\ncase "$1" in -s) echo ${os} ;; -m) echo ${arch} ;; *) echo ${os} ;; esac\n`);
  const ldd = libc === "musl" ? "musl libc (x86_64)\nVersion 1.2.4" : "ldd (GNU libc) 2.36";
  writeFileSync(join(bin, "ldd"), `#!/bin/sh\necho '${ldd}' >&2\nexit 1\n`);
  chmodSync(join(bin, "uname"), 0o755);
  chmodSync(join(bin, "ldd"), 0o755);
  return bin;
}

interface InstallRun {
  code: number;
  stderr: string;
  dir: string;
}

function install(machine: string, env: Record<string, string> = {}, dir = join(temp("ai-blame-install-"), "bin")): Promise<InstallRun> {
  return new Promise((resolve) => {
    execFile(
      "sh",
      [join(root, "install.sh")],
      {
        env: {
          PATH: `${machine}:${process.env["PATH"] ?? ""}`,
          HOME: temp("ai-blame-home-"),
          AI_BLAME_DOWNLOAD_URL: base,
          AI_BLAME_INSTALL_DIR: dir,
          ...env,
        },
        timeout: 60_000,
      },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr, dir }),
    );
  });
}

beforeAll(async () => {
  // The release layout: every asset, then SHA256SUMS over them.
  const assets = temp("ai-blame-assets-");
  for (const name of ASSETS) copyFileSync(bundle, join(assets, name));
  execFileSync("bash", [join(root, "scripts", "release-checksums.sh"), assets]);
  for (const name of readdirSync(assets)) served.set(`/${name}`, readFileSync(join(assets, name)));
  server = createServer((req, res) => {
    const body = served.get(req.url ?? "");
    res.writeHead(body ? 200 : 404);
    res.end(body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("install.sh", () => {
  it("installs the machine's build after checking its checksum, and the installed ai-blame runs", async () => {
    const r = await install(fakeMachine("Linux", "x86_64"));
    expect(r.stderr).toContain(`ai-blame install: downloading ai-blame-linux-x64 from ${base}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`ai-blame install: installed ai-blame ${version} to ${r.dir}/ai-blame`);
    expect(r.stderr).toContain(`${r.dir} is not on your PATH`);
    expect(execFileSync(join(r.dir, "ai-blame"), ["--version"], { encoding: "utf8" })).toBe(`ai-blame ${version}\n`);
    expect(readdirSync(r.dir)).toEqual(["ai-blame"]);
  });

  it("picks the musl build, the arm64 build and the macOS build", async () => {
    expect((await install(fakeMachine("Linux", "x86_64", "musl"))).stderr).toContain("downloading ai-blame-linux-x64-musl ");
    expect((await install(fakeMachine("Linux", "aarch64"))).stderr).toContain("downloading ai-blame-linux-arm64 ");
    const mac = await install(fakeMachine("Darwin", "arm64"));
    expect(mac.stderr).toContain("downloading ai-blame-darwin-arm64 ");
    expect(mac.code).toBe(0);
  });

  it("refuses a corrupted download and leaves the installed ai-blame alone", async () => {
    const dir = join(temp("ai-blame-install-"), "bin");
    mkdirSync(dir);
    writeFileSync(join(dir, "ai-blame"), "#!/bin/sh\necho old\n", { mode: 0o755 });
    const good = served.get("/ai-blame-linux-x64") as Buffer;
    const bad = Buffer.from(good);
    bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0x20;
    served.set("/ai-blame-linux-x64", bad);
    try {
      const r = await install(fakeMachine("Linux", "x86_64"), {}, dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ai-blame install: error: checksum mismatch for ai-blame-linux-x64 \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); nothing was installed\n$/);
      expect(readFileSync(join(dir, "ai-blame"), "utf8")).toBe("#!/bin/sh\necho old\n");
      expect(readdirSync(dir)).toEqual(["ai-blame"]);
    } finally {
      served.set("/ai-blame-linux-x64", good);
    }
  });

  it("fails with one clear line on a missing asset, a missing checksum, an unsupported machine", async () => {
    const missing = await install(fakeMachine("Linux", "x86_64"), { AI_BLAME_DOWNLOAD_URL: `${base}/nowhere` });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`ai-blame install: error: could not download ${base}/nowhere/ai-blame-linux-x64`);
    const sums = served.get("/SHA256SUMS") as Buffer;
    served.set("/SHA256SUMS", Buffer.from(sums.toString().split("\n").filter((l) => !l.endsWith(" ai-blame-linux-arm64")).join("\n")));
    try {
      const noSum = await install(fakeMachine("Linux", "aarch64"));
      expect(noSum.code).toBe(1);
      expect(noSum.stderr).toContain("ai-blame install: error: SHA256SUMS has no checksum for ai-blame-linux-arm64");
      expect(existsSync(join(noSum.dir, "ai-blame"))).toBe(false);
    } finally {
      served.set("/SHA256SUMS", sums);
    }
    const odd = await install(fakeMachine("Linux", "mips"));
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain("ai-blame install: error: no ai-blame build for the mips processor");
  });
});
