// @ts-check
// Seeded randomness for the benchmark generator: a small 32-bit PRNG, id formats of the real agents (Claude uuids,
// toolu_/msg_/req_ ids, Codex call ids, v7 session ids), and pools of prose, log and code text to sample from.
// The same seed always yields the same bytes; nothing here reads the clock or Math.random.

const WORDS = (
  "the a to of and in is it for that this with on as be by we use from at or if not can will are should when " +
  "file function test value config cache index parser session event line model edit result error path read write " +
  "update handle check return list map set key item entry module import export class method call build run fix " +
  "change add remove rename move split merge load save open close start stop time date size count total limit " +
  "option flag default setting user request response server client status state store query filter sort group " +
  "format output input stream buffer chunk offset byte text string number array object field type schema table " +
  "row column record batch queue worker thread lock retry timeout signal process command argument parse validate"
).split(" ");

const LOG_TEMPLATES = [
  (/** @type {Rng} */ r) => `tests/test_${r.word()}_${r.int(1, 90)}.py::test_${r.word()}_${r.word()} PASSED${" ".repeat(r.int(1, 30))}[${String(r.int(1, 99)).padStart(3)}%]`,
  (/** @type {Rng} */ r) => `  ${r.word()}/${r.word()}_${r.int(1, 400)}.ts:${r.int(1, 900)}:${r.int(1, 80)} - warning: '${r.word()}${r.int(1, 99)}' is declared but never used`,
  (/** @type {Rng} */ r) => `${r.hex(7)} ${r.pick(["Fix", "Add", "Refactor", "Update", "Remove"])} ${r.words(r.int(3, 8))}`,
  (/** @type {Rng} */ r) => `-rw-r--r--  1 dev staff ${String(r.int(100, 90_000)).padStart(6)} Oct ${r.int(1, 28)} ${r.int(10, 23)}:${r.int(10, 59)} ${r.word()}_${r.int(1, 300)}.py`,
  (/** @type {Rng} */ r) => `[${r.int(10, 23)}:${r.int(10, 59)}:${r.int(10, 59)}] INFO ${r.word()}.${r.word()}: ${r.words(r.int(4, 12))} (${r.int(1, 999)} ms)`,
  (/** @type {Rng} */ r) => `src/${r.word()}/${r.word()}_${r.int(1, 300)}.py:${r.int(1, 800)}:    ${r.word()}_${r.int(1, 9999)} = ${r.word()}(${r.word()}, ${r.int(0, 99)})`,
];

export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    this.state = (seed * 0x9e3779b1) >>> 0 || 0x1234567;
  }

  /** Uniform in [0, 1): mulberry-style 32-bit mixing of a Weyl sequence. */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. @param {number} lo @param {number} hi */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) {
    return /** @type {T} */ (items[Math.floor(this.next() * items.length)]);
  }

  /** @param {number} p */
  chance(p) {
    return this.next() < p;
  }

  word() {
    return this.pick(WORDS);
  }

  /** @param {number} n */
  words(n) {
    let out = this.word();
    for (let i = 1; i < n; i++) out += ` ${this.word()}`;
    return out;
  }

  /** @param {number} n */
  hex(n) {
    let out = "";
    while (out.length < n) out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, "0");
    return out.slice(0, n);
  }

  /** @param {number} n */
  base62(n) {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * 62)];
    return out;
  }

  /** Base64-looking opaque text (signatures, encrypted reasoning). @param {number} n */
  blob(n) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const parts = [];
    for (let i = 0; i < n; i += 8) {
      let chunk = "";
      for (let j = 0; j < 8; j++) chunk += alphabet[Math.floor(this.next() * 64)];
      parts.push(chunk);
    }
    return parts.join("").slice(0, n);
  }

  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** UUID v7 with the given time in its first 48 bits. @param {number} ms */
  uuidv7(ms) {
    const t = ms.toString(16).padStart(12, "0");
    const h = this.hex(20);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-${"89ab"[this.int(0, 3)]}${h.slice(3, 6)}-${h.slice(6, 18)}`;
  }

  toolUseId() {
    return `toolu_01${this.base62(22)}`;
  }

  messageId() {
    return `msg_01${this.base62(22)}`;
  }

  requestId() {
    return `req_011C${this.base62(20)}`;
  }

  callId() {
    return `call_${this.base62(24)}`;
  }
}

/**
 * Pools of pre-generated text so that filling hundreds of megabytes costs a pick, not a string build per word.
 * @param {Rng} rng
 */
export function makeTextPools(rng) {
  /** @type {string[]} */
  const sentences = [];
  for (let i = 0; i < 4_000; i++) {
    const s = rng.words(rng.int(6, 22));
    sentences.push(`${s[0]?.toUpperCase()}${s.slice(1)}${rng.pick([".", ".", ".", ":", "?"])}`);
  }
  // Command output is sampled as pre-joined blocks of 20–80 lines: per-line picking was a third of the run time.
  /** @type {string[]} */
  const logBlocks = [];
  for (let i = 0; i < 1_500; i++) {
    const lines = [];
    for (let n = rng.int(20, 80); n > 0; n--) lines.push(rng.pick(LOG_TEMPLATES)(rng));
    logBlocks.push(lines.join("\n"));
  }
  return {
    /** Prose of about `bytes` characters: sentences grouped in paragraphs. @param {number} bytes */
    prose(bytes) {
      const parts = [];
      let size = 0;
      while (size < bytes) {
        const s = rng.pick(sentences);
        parts.push(s, rng.chance(0.15) ? "\n\n" : " ");
        size += s.length + 1;
      }
      return parts.join("").trimEnd();
    },
    /** Command output of about `bytes` characters. @param {number} bytes */
    log(bytes) {
      const parts = [];
      let size = 0;
      while (size < bytes) {
        const block = rng.pick(logBlocks);
        const cut = size + block.length > bytes ? block.indexOf("\n", bytes - size) : -1;
        parts.push(cut > 0 ? block.slice(0, cut) : block);
        size += (cut > 0 ? cut : block.length) + 1;
      }
      return parts.join("\n");
    },
  };
}
