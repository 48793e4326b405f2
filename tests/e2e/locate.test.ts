import { describe, expect, it } from "vitest";
import { runNpm } from "../support/run-command.ts";

describe("npm run locate", () => {
  it("prints exactly one JSON resolution per input line and nothing else on stdout", async () => {
    const lines = ["Jogja", "", "@-6.175,106.827", "Banjar", "Malaysia", "@-12,100", "asdfgh"];
    const result = await runNpm("locate", [], `${lines.join("\n")}\n`, {});
    expect(result.code).toBe(0);
    const out = result.stdout.split("\n");
    expect(out.pop()).toBe("");
    expect(out).toHaveLength(lines.length);
    const parsed = out.map((line) => JSON.parse(line) as { query: string; status: string; province: unknown });
    expect(parsed.map((p) => p.query)).toEqual(lines);
    expect(parsed.map((p) => p.status)).toEqual([
      "resolved",
      "not_found",
      "resolved",
      "ambiguous",
      "abroad",
      "abroad",
      "not_found",
    ]);
    expect(parsed[2]?.province).toEqual({ code: "31", name: "Daerah Khusus Ibukota Jakarta" });
    // A pin far out in the Indian Ocean is abroad, in no country; pins say whether a border is near.
    expect(parsed[5]).toMatchObject({ status: "abroad", country: null, nearBorder: false });
    expect(parsed[2]).toHaveProperty("nearBorder");
  });
});
