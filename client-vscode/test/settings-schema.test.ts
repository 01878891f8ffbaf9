// The settings the extension contributes (root package.json) and the settings the server understands
// (contract.ts defaults) must be the same set with the same defaults, or a setting silently does nothing.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "@ai-blame/shared/contract";

const manifest = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> }; commands: { command: string; title: string; category: string }[] };
};

function flatten(value: object, prefix: string, out: Record<string, unknown>): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    // An empty object is a map-valued setting (aiBlame.pathMap), not a group of settings.
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) flatten(v, `${prefix}${key}.`, out);
    else out[`${prefix}${key}`] = v;
  }
  return out;
}

describe("contributes.configuration", () => {
  const properties = manifest.contributes.configuration.properties;
  const contributed = Object.fromEntries(
    Object.entries(properties)
      .filter(([key]) => key !== "aiBlame.trace.server") // the language client's own protocol tracing
      .map(([key, schema]) => [key, schema.default]),
  );

  it("declares exactly the settings of the contract, with the contract's defaults", () => {
    expect(contributed).toEqual(flatten(defaultSettings, "aiBlame.", {}));
  });

  it("names every palette command 'AI Blame: …'", () => {
    for (const c of manifest.contributes.commands) {
      expect(c.category).toBe("AI Blame");
      expect(c.command.startsWith("aiBlame.")).toBe(true);
    }
  });
});
