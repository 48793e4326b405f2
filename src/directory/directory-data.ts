import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type RoutingMatrix, RoutingMatrixSchema } from "../domain/routing.ts";
import { projectPath } from "../project-paths.ts";

const DATA_DIR = projectPath("src/directory/data");

/** The kinds of office: provincial Dinas Sosial and UPTD PPA, and the three national desks. */
export const OFFICE_KINDS = ["DINSOS", "UPTDPPA", "NATIONAL", "SAPA129", "KP2MI"] as const;
/** One of OFFICE_KINDS. */
export type OfficeKind = (typeof OFFICE_KINDS)[number];

const OfficeEntrySchema = z
  .object({
    code: z.string().regex(/^(DINSOS-\d{2}|UPTDPPA-\d{2}|NATIONAL|SAPA129|KP2MI)$/),
    kind: z.enum(OFFICE_KINDS),
    name: z.string().min(3),
    provinceCode: z
      .string()
      .regex(/^\d{2}$/)
      .nullable(),
  })
  .refine(
    (o) => (o.kind === "DINSOS" || o.kind === "UPTDPPA" ? o.code === `${o.kind}-${o.provinceCode}` : o.code === o.kind),
    {
      error: "an office code must be <KIND>-<province code> or the national desk's kind",
    },
  );

const OfficeFileSchema = z
  .object({ offices: z.array(OfficeEntrySchema) })
  .refine((f) => new Set(f.offices.map((o) => o.code)).size === f.offices.length, {
    error: "office codes must be unique",
  });

/** An office as the directory ships it: public name, no destinations (admins set those). */
export type OfficeEntry = z.infer<typeof OfficeEntrySchema>;

/** Thrown when a directory data file does not validate; names the file and the problem. */
export class DirectoryDataError extends Error {
  override name = "DirectoryDataError";
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path.join(DATA_DIR, file), "utf8")));
  if (!parsed.success) {
    throw new DirectoryDataError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The shipped office directory: 38 provinces x (Dinas Sosial, UPTD PPA) and the national desks. */
export function loadOfficeDirectory(): OfficeEntry[] {
  return readJson("offices.json", OfficeFileSchema).offices;
}

/** The shipped routing matrix, checked against the office directory. */
export function loadRoutingMatrix(offices: readonly OfficeEntry[] = loadOfficeDirectory()): RoutingMatrix {
  const matrix = readJson("routing-matrix.json", RoutingMatrixSchema);
  const codes = new Set(offices.map((o) => o.code));
  const named = [matrix.abroad.responsible, matrix.unknownPlace, matrix.fallback, ...Object.values(matrix.escalation)];
  const missing = named.filter((code) => !codes.has(code));
  if (missing.length > 0)
    throw new DirectoryDataError(`routing-matrix.json names offices not in offices.json: ${missing.join(", ")}`);
  return matrix;
}
