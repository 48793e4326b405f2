import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function rootAbove(dir: string): string {
  // The sources run from src/ (tsx, tests) and compiled from dist/src/; data stays at the root.
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, "package.json"))) return at;
    if (path.dirname(at) === at) throw new Error(`no package.json above ${dir}`);
  }
}

/** The project's root directory, the one holding package.json, locales/ and prisma/. */
export const PROJECT_ROOT = rootAbove(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, the same whether the code runs from src/ or from dist/src/. */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
