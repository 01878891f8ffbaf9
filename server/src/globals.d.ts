// Build-time constants injected by scripts/build.mjs (esbuild `define`) into the server bundle; vitest defines them too.
// Declared again here because the server project does not include shared's ambient declarations.
declare const __AI_BLAME_VERSION__: string;
