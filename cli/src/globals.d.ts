// Build-time constants injected by scripts/build.mjs (esbuild `define`); vitest defines them in vitest.config.ts.
// Declared again here because the cli project does not include shared's ambient declarations.
declare const __AI_BLAME_VERSION__: string;
