import path from "node:path";
import { defineConfig } from "prisma/config";

// generate, validate and format never run the schema engine; pointing the CLI at a stub
// stops it from downloading the native binary, which these machines cannot reach.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
