/**
 * Bundles the compiled bot (dist/src/main.js) into dist/bundle/ for `npm start`: Node then
 * reads a few files instead of several hundred modules at start (about 100 ms of 750 on a 2-core
 * machine). Channels and the PostgreSQL driver stay in chunks of their own, loaded only when
 * configured. Left out, and loaded from node_modules as before: native modules, Baileys and the
 * PostgreSQL driver (loaded on demand), and grammY, whose bundled copy never reaches the Bot API.
 * Run by `npm run build` after `tsc`; the other commands (chat, admin, bench) run dist/src/.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "@whiskeysockets/baileys", "pg", "@prisma/adapter-pg", "grammy", "@grammyjs/*"],
  // Bundled CommonJS packages call require(): give every chunk one.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: "warning",
});
