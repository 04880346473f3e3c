// Replaced at build time by esbuild's `define` (scripts/build.mjs); tests fall back to package.json.
declare const BANKCERT_VERSION: string | undefined;
