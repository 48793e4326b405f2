import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES_DIR, loadLocales } from "../../src/i18n/i18n.ts";
import { COUNTRY_CODES } from "../../src/regions/countries.ts";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

describe("locales", () => {
  const resources = loadLocales();
  const id = new Map<string, string>();
  const en = new Map<string, string>();
  for (const [ns, tree] of Object.entries(resources.id)) for (const [k, v] of flatten(tree)) id.set(`${ns}:${k}`, v);
  for (const [ns, tree] of Object.entries(resources.en)) for (const [k, v] of flatten(tree)) en.set(`${ns}:${k}`, v);

  it("have the same keys in Indonesian and English", () => {
    expect([...id.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    for (const [key, text] of id) expect(placeholders(en.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("leave no string empty and name every country the intake knows", () => {
    for (const [key, text] of [...id, ...en]) expect(text.trim(), key).not.toBe("");
    for (const code of COUNTRY_CODES) {
      expect(id.has(`countries:${code}`), code).toBe(true);
      expect(en.has(`countries:${code}`), code).toBe(true);
    }
  });

  it("show only the public emergency numbers of DESIGN §4", () => {
    const numbers = new Set<string>();
    for (const text of [...id.values(), ...en.values()]) {
      for (const match of text.matchAll(/\b0\d{2,4}[- ]?\d{3,4}(?:[- ]\d{3})?\b|\b1\d{2}\b/g)) numbers.add(match[0]);
    }
    expect([...numbers].sort()).toEqual(["08111-129-129", "0800-1000", "110", "112", "129"].sort());
  });

  it("are valid JSON files", () => {
    for (const lng of ["id", "en"]) {
      for (const ns of Object.keys(resources.id)) {
        expect(() => JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, `${ns}.json`), "utf8"))).not.toThrow();
      }
    }
  });

  it("refuse a file whose translation is not text, naming the key", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "locales-"));
    try {
      for (const lng of ["id", "en"]) mkdirSync(path.join(dir, lng));
      writeFileSync(path.join(dir, "id", "bot.json"), JSON.stringify({ menu: { title: "Menu" } }));
      writeFileSync(path.join(dir, "en", "bot.json"), JSON.stringify({ menu: { title: "Menu", count: 3 } }));
      expect(() => loadLocales(dir)).toThrow("en/bot.json.menu.count: expected a text or an object of translations");
      writeFileSync(path.join(dir, "en", "bot.json"), JSON.stringify({ menu: { title: "Menu" } }));
      expect(loadLocales(dir).en).toEqual({ bot: { menu: { title: "Menu" } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
