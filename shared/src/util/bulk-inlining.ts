// TurboFan's inlining budget during a bulk index (a first index or a rebuild: every trace read once). Such an index
// runs each hot function (the parsers' line readers, the index writes) for a fraction of a second, and V8 compiles
// ~80 of them with TurboFan on its helper threads while the threads that parse run them unoptimized; at V8's default
// cumulative budget (920 bytes of bytecode inlined into one function) the costliest took 20-37 ms each (the Claude
// parser's prefilter and its cut of tool-result texts, which inline Buffer's search and the byte readers). Half that
// budget took the helper threads' CPU down by ~15% and the CPU in all by ~5% at 200 MB, 1 GB and 3 GB, the parsing
// threads' own CPU unchanged (bench/README.md, "V8's tiering in a fresh process"). The flag goes through v8-flags.ts
// (at V8's default while a worker isolate starts and at exit, so no code cache is lost) and back to V8's default
// when the index's update returns (engine.ts): a process that lives on (the server) optimizes its later work as V8
// would. A replay from contents (a first blame) keeps V8's default: not measured with the cap.

import { setV8Flag, setV8FlagDefault } from "./v8-flags";

const BULK_BUDGET = "--max-inlined-bytecode-size-cumulative=460";

let capped = false;

/** At the start of a bulk index: TurboFan inlines half of V8's default budget into each function it compiles. */
export function capInliningForBulkIndex(): void {
  if (capped) return;
  capped = true;
  setV8Flag(BULK_BUDGET);
}

/** At the end of a bulk index: V8's default budget again. */
export function endBulkIndexInlining(): void {
  if (!capped) return;
  capped = false;
  setV8FlagDefault("max-inlined-bytecode-size-cumulative");
}
