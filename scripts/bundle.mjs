/**
 * Bundles the compiled bot (dist/src/main.js) into dist/bundle/ for `npm start`: Node then
 * reads a few files instead of several hundred modules at start (about 100 ms of 750 on a 2-core
 * machine). Channels and the PostgreSQL driver stay in chunks of their own, loaded only when
 * configured; grammY is bundled into the Telegram chunk (see nativeAbortController). Left out, and
 * loaded from node_modules as before: native modules, Baileys and the PostgreSQL driver (loaded on
 * demand).
 * Run by `npm run build` after `tsc`; the other commands (chat, admin, bench) run dist/src/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const OUT_DIR = "dist/bundle";

/**
 * grammY hands node-fetch a signal from the `abort-controller` polyfill, and node-fetch accepts
 * it only if its class is named "AbortSignal". Bundled, that class is renamed (the global has the
 * name) and every request fails; Node's own AbortController passes the check and needs no polyfill.
 * The stand-in is a plain object, so the global class itself is left untouched.
 */
const nativeAbortController = {
  name: "native-abort-controller",
  setup(build) {
    build.onResolve({ filter: /^abort-controller$/ }, () => ({ path: "abort-controller", namespace: "native" }));
    build.onLoad({ filter: /.*/, namespace: "native" }, () => ({
      contents:
        "module.exports = { AbortController: globalThis.AbortController, AbortSignal: globalThis.AbortSignal, default: globalThis.AbortController };",
      loader: "js",
    }));
  },
};

/**
 * zod re-exports every language of its error messages (`z.locales`), 340 kB that esbuild cannot
 * shake out of `import { z }` and Node would compile at every start. The bot shows zod's messages
 * to no one (they go to logs and CLI errors, in English), so only English is kept.
 */
const englishZodErrors = {
  name: "english-zod-errors",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), "..", "locales", "index.js"), namespace: "zod-english" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * Prisma ships its query compiler as a 2.2 MB base64 string in a JavaScript module, which Node
 * reads and compiles at every start (about 17 ms here). The bundle keeps the binary as a file
 * beside it and reads that instead; Prisma still receives the same base64 string.
 */
const wasmAsFile = {
  name: "wasm-as-file",
  setup(build) {
    build.onLoad({ filter: /[\\/]query_compiler_[a-z]+_bg\.[a-z]+\.wasm-base64\.mjs$/ }, async (args) => {
      const { wasm } = await import(pathToFileURL(args.path).href);
      const name = path.basename(args.path).replace(/\.wasm-base64\.mjs$/, ".wasm");
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(path.join(OUT_DIR, name), Buffer.from(wasm, "base64"));
      return {
        contents: `import { readFileSync } from "node:fs";\nexport const wasm = readFileSync(new URL(${JSON.stringify(`./${name}`)}, import.meta.url)).toString("base64");\n`,
        loader: "js",
      };
    });
  },
};

await build({
  entryPoints: ["dist/src/main.js"],
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "@whiskeysockets/baileys", "pg", "@prisma/adapter-pg", "fastify"],
  // Bundled CommonJS packages call require(): give every chunk one.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  plugins: [nativeAbortController, englishZodErrors, wasmAsFile],
  logLevel: "warning",
});
