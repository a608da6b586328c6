import { describe, expect, it } from "vitest";
import { catalogs, translate } from "../../src/i18n/translate.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  it("English and German have exactly the same keys", () => {
    expect(Object.keys(catalogs.de).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it.each(Object.keys(catalogs.en))("%s: same placeholders in both languages, and no empty text", (key) => {
    const en = catalogs.en[key as keyof typeof catalogs.en];
    const de = catalogs.de[key as keyof typeof catalogs.de];
    expect(en.trim()).not.toBe("");
    expect(de.trim()).not.toBe("");
    expect(placeholders(de)).toEqual(placeholders(en));
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "error.unknownSubcommand", { input: "x" })).toBe("I don't know `x`.");
    expect(translate("de", "error.didYouMean", {})).toContain("{suggestion}");
  });
});
