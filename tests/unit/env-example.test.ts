import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { EnvSchema, loadConfig } from "../../src/config.ts";

/** One setting of .env.example: "NAME=value" or, showing the default without setting it, "#NAME=value". */
interface ExampleSetting {
  name: string;
  value: string;
  lineNumber: number;
  /** The "# ..." line right above it, if any. */
  comment: string | null;
}

const SETTING = /^#?([A-Z][A-Z0-9_]*)=(.*)$/;
const COMMENT = /^# \S/;

/** Reads .env.example line by line; a line that is neither blank, a "# " comment nor a setting is returned as unreadable. */
function readEnvExample(text: string): { settings: ExampleSetting[]; unreadable: string[] } {
  const settings: ExampleSetting[] = [];
  const unreadable: string[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    const setting = SETTING.exec(line);
    if (setting) {
      const above = lines[index - 1] ?? "";
      settings.push({
        name: setting[1] ?? "",
        value: unquote(setting[2] ?? ""),
        lineNumber: index + 1,
        comment: COMMENT.test(above) && !SETTING.test(above) ? above : null,
      });
    } else if (line.trim() !== "" && line !== "#" && !COMMENT.test(line)) {
      unreadable.push(`line ${index + 1}: ${line}`);
    }
  }
  return { settings, unreadable };
}

function unquote(value: string): string {
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(value);
  return quoted ? (quoted[1] ?? quoted[2] ?? "") : value;
}

describe(".env.example", () => {
  const { settings, unreadable } = readEnvExample(readFileSync(new URL("../../.env.example", import.meta.url), "utf8"));
  const documented = settings.map((s) => s.name);
  const read = Object.keys(EnvSchema.shape);

  it("lists exactly the variables src/config.ts reads", () => {
    const missing = read.filter((name) => !documented.includes(name));
    const extra = documented.filter((name) => !read.includes(name));
    // Both lists in one message, so whoever merges a new setting sees every line to add or remove.
    const differences = [
      ...(missing.length > 0 ? [`read by src/config.ts, missing from .env.example: ${missing.join(", ")}`] : []),
      ...(extra.length > 0 ? [`in .env.example, not read by src/config.ts: ${extra.join(", ")}`] : []),
    ];
    expect(differences).toEqual([]);
  });

  it("lists each variable once, under a one-line comment, and holds nothing else", () => {
    expect(unreadable, "lines that are neither blank, a '# ' comment nor NAME=value").toEqual([]);
    const twice = documented.filter((name, i) => documented.indexOf(name) !== i);
    expect(twice, `listed more than once: ${twice.join(", ")}`).toEqual([]);
    const uncommented = settings.filter((s) => s.comment === null).map((s) => `${s.name} (line ${s.lineNumber})`);
    expect(uncommented, "settings without a '# ' comment line right above them").toEqual([]);
  });

  it("shows each default as src/config.ts applies it, and leaves empty only what has no fixed default", () => {
    const defaults = EnvSchema.parse({});
    const wrong: string[] = [];
    for (const { name, value } of settings) {
      if (!read.includes(name)) continue; // named by the first test
      const fallback = defaults[name as keyof typeof defaults];
      if (fallback === undefined) {
        if (value !== "") wrong.push(`${name}: has no fixed default, shown as "${value}" instead of empty`);
        continue;
      }
      const shown = EnvSchema.parse({ [name]: value })[name as keyof typeof defaults];
      if (value === "" || !isDeepStrictEqual(shown, fallback)) {
        wrong.push(`${name}: shown as "${value}", the default is ${JSON.stringify(fallback)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("configures the bot exactly as no settings do when every line is uncommented as it stands", () => {
    const asShown = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    expect(loadConfig(asShown)).toEqual(loadConfig({}));
  });
});
