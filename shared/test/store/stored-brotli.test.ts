// Stored brotli streams (store/stored-brotli.ts) are read back exactly by Node's brotli decoders, one-shot and
// streaming, at every size around the 64 KiB block and past the 16 MiB a meta-block's length can say.

import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";
import { expect, it } from "vitest";
import { storedBrotli } from "../../src/store/stored-brotli";
import { seededRandom } from "../support/random";

it("every size reads back exactly, characters of 1 to 4 bytes across block ends included", () => {
  const random = seededRandom(7);
  const alphabet = ["a", "\n", "é", "日", "😀"];
  for (const size of [0, 1, 2, 1000, 65535, 65536, 65537, 131072, 131073, 1 << 20, 17 * 1024 * 1024 + 3]) {
    const ascii = "x".repeat(size);
    expect(brotliDecompressSync(storedBrotli(ascii)).toString("utf8") === ascii, `size ${size}`).toBe(true);
  }
  for (const chars of [16383, 16384, 21845, 40000]) {
    const text = Array.from({ length: chars }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    expect(brotliDecompressSync(storedBrotli(text)).toString("utf8") === text, `${chars} characters`).toBe(true);
  }
});

it("a streaming decoder reads it too", async () => {
  const text = Buffer.from("naïve 日本語 😀\n".repeat(20000), "utf8");
  const decoder = createBrotliDecompress();
  const chunks: Buffer[] = [];
  decoder.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => decoder.on("end", resolve));
  decoder.end(storedBrotli(text.toString("utf8")));
  await ended;
  expect(Buffer.concat(chunks).equals(text)).toBe(true);
});
