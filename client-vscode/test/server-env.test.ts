// The language server's environment as the extension starts it (client.ts): the editor's own, with glibc's malloc
// arenas capped unless the user chose a value.

import { describe, expect, it } from "vitest";
import { serverEnv } from "../src/server-env";

describe("serverEnv", () => {
  it("keeps the editor's environment and caps malloc arenas at 2", () => {
    const env = serverEnv({ PATH: "/usr/bin", AI_BLAME_DATA_DIR: "/tmp/d" });
    expect(env).toEqual({ PATH: "/usr/bin", AI_BLAME_DATA_DIR: "/tmp/d", MALLOC_ARENA_MAX: "2" });
  });

  it("keeps a value the user set", () => {
    expect(serverEnv({ MALLOC_ARENA_MAX: "8" })["MALLOC_ARENA_MAX"]).toBe("8");
  });
});
