import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectCommand } from "../../src/conversation/commands.ts";
import { normalizePhone } from "../../src/conversation/intake-steps.ts";
import { matchCountry, matchProvinces } from "../../src/regions/place-match.ts";
import { PROVINCES } from "../../src/regions/provinces.ts";

describe("commands", () => {
  it("work in both languages, with or without a slash, as the whole message", () => {
    expect(detectCommand("Batal")).toEqual({ kind: "cancel" });
    expect(detectCommand("/cancel")).toEqual({ kind: "cancel" });
    expect(detectCommand("bantuan!")).toEqual({ kind: "help" });
    expect(detectCommand("/start")).toEqual({ kind: "menu" });
    expect(detectCommand("/lapor@TppoBot")).toEqual({ kind: "report" });
    expect(detectCommand("Hapus")).toEqual({ kind: "delete" });
    expect(detectCommand("laporan saya")).toEqual({ kind: "myReports" });
    expect(detectCommand("English")).toEqual({ kind: "setLanguage", language: "en" });
    expect(detectCommand("bahasa indonesia")).toEqual({ kind: "setLanguage", language: "id" });
    expect(detectCommand("saya mau batal")).toBeNull();
    expect(detectCommand("tolong bantu adik saya")).toBeNull();
  });

  it("read a reference and PIN after status", () => {
    expect(detectCommand("status k7qm 4tzp 9xwr 123456")).toEqual({
      kind: "status",
      reference: "K7QM-4TZP-9XWR",
      pin: "123456",
    });
    expect(detectCommand("/cek K7QM-4TZP-9XWR")).toEqual({ kind: "status", reference: "K7QM-4TZP-9XWR" });
    expect(detectCommand("status")).toEqual({ kind: "status" });
  });
});

describe("provinces", () => {
  it("match idn-area-data's provinces.csv code for code and name for name", () => {
    const require = createRequire(import.meta.url);
    const csv = readFileSync(
      path.join(path.dirname(require.resolve("idn-area-data/package.json")), "data/provinces.csv"),
      "utf8",
    );
    const rows = csv
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    expect(PROVINCES.map((p) => [p.code, p.name])).toEqual(rows.map(([code, name]) => [code, name?.trim()]));
    expect(PROVINCES).toHaveLength(38);
  });

  it("are found by name, acronym and English name", () => {
    const codes = (text: string) => matchProvinces(text).map((p) => p.code);
    expect(codes("Jogja")).toEqual(["34"]);
    expect(codes("DKI Jakarta")).toEqual(["31"]);
    expect(codes("prov. jawa timur")).toEqual(["35"]);
    expect(codes("NTT")).toEqual(["53"]);
    expect(codes("Highland Papua")).toEqual(["95"]);
    expect(codes("kaltara")).toEqual(["65"]);
    expect(codes("Kalimantan")).toHaveLength(5);
    expect(codes("xx")).toEqual([]);
  });

  it("recognise destination countries in both languages", () => {
    expect(matchCountry("Arab Saudi")).toBe("SA");
    expect(matchCountry("di Malaysia")).toBe("MY");
    expect(matchCountry("Korea Selatan")).toBe("KR");
    expect(matchCountry("Dubai")).toBe("AE");
    expect(matchCountry("Jawa Barat")).toBeNull();
  });
});

describe("phone numbers", () => {
  it("are accepted as people type them and stored in international form", () => {
    expect(normalizePhone("0812-3456-7890")).toBe("+6281234567890");
    expect(normalizePhone("+62 812 3456 7890")).toBe("+6281234567890");
    expect(normalizePhone("6281234567890")).toBe("+6281234567890");
    expect(normalizePhone("+60 12-345 6789")).toBe("+60123456789");
    expect(normalizePhone("12345")).toBeNull();
    expect(normalizePhone("call me")).toBeNull();
  });
});
