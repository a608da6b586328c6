import { describe, expect, it } from "vitest";
import {
  didYouMean,
  editDistance,
  matchByName,
  maxFuzzyEdits,
  normalizeName,
  type NameMatch,
} from "../../src/domain/names.js";

describe("normalizeName", () => {
  it.each([
    ["  Müller   GmbH ", "muller gmbh"],
    ["Straße", "strasse"],
    ["STRASSE", "strasse"],
    ["\u1e9e", "ss"], // capital sharp s
    ["Café Crème", "cafe creme"],
    ["ÉCOLE", "ecole"],
    ["Ørsted", "orsted"],
    ["Łódź", "lodz"],
    ["Æther", "aether"],
    ["\ufb01nance", "finance"], // "ﬁ" ligature
    ["Ａｃｍｅ", "acme"], // full-width letters
    ["a\tb\n\u00a0c", "a b c"],
    ["Acme, Inc.", "acme, inc."], // punctuation is kept here; matching ignores it
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe("editDistance (restricted Damerau-Levenshtein)", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["abc", "abc", 0],
    ["kitten", "sitting", 3],
    ["ca", "ac", 1], // adjacent transposition costs 1
    ["acme crop", "acme corp", 1],
    ["flaw", "lawn", 2],
    ["ca", "abc", 3], // OSA: no edits inside a transposed pair
    ["😀a", "a", 1], // counted in code points, not UTF-16 units
  ])("%j ↔ %j = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it.each([
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 1],
    [5, 2],
    [8, 2],
    [9, 3],
    [40, 3],
  ])("a %i-character query tolerates %i edits", (length, edits) => {
    expect(maxFuzzyEdits(length)).toBe(edits);
  });
});

describe("matchByName", () => {
  const names = [
    "Acme Corp",
    "Acme Industries",
    "Müller GmbH",
    "Globex",
    "Initech",
    "Umbrella Corp International",
    "O'Brien & Sons",
    "Straße AG",
  ];
  const candidates = names.map((name) => ({ key: name, item: name }));

  const exact = (item: string, match: "exact" | "prefix" | "fuzzy"): NameMatch<string> => ({ kind: "exact", item, match });
  const ambiguous = (...items: string[]): NameMatch<string> => ({ kind: "ambiguous", items });
  const none = (...suggestions: string[]): NameMatch<string> => ({ kind: "none", suggestions });

  it.each<[string, NameMatch<string>]>([
    // exact after normalisation
    ["Acme Corp", exact("Acme Corp", "exact")],
    ["  ACME   corp ", exact("Acme Corp", "exact")],
    ["muller gmbh", exact("Müller GmbH", "exact")],
    ["MÜLLER GMBH", exact("Müller GmbH", "exact")],
    ["strasse ag", exact("Straße AG", "exact")],
    ["acme corp.", exact("Acme Corp", "exact")], // punctuation ignored
    ["obrien sons", exact("O'Brien & Sons", "exact")],
    ["acmecorp", exact("Acme Corp", "exact")], // spaces ignored
    // prefix of the whole name or of any word
    ["glob", exact("Globex", "prefix")],
    ["initec", exact("Initech", "prefix")],
    ["industries", exact("Acme Industries", "prefix")],
    ["corp int", exact("Umbrella Corp International", "prefix")],
    ["o'brien", exact("O'Brien & Sons", "prefix")],
    ["mull", exact("Müller GmbH", "prefix")],
    ["acme", ambiguous("Acme Corp", "Acme Industries")], // shorter name first
    ["corp", ambiguous("Acme Corp", "Umbrella Corp International")],
    ["a", ambiguous("Acme Corp", "Acme Industries", "Straße AG")], // whole-name prefixes first
    // fuzzy (typos)
    ["acme crop", exact("Acme Corp", "fuzzy")],
    ["globx", exact("Globex", "fuzzy")],
    ["intech", exact("Initech", "fuzzy")],
    ["umbrela", exact("Umbrella Corp International", "fuzzy")],
    ["acme indsutries", exact("Acme Industries", "fuzzy")],
    ["acme corb", exact("Acme Corp", "fuzzy")],
    ["acme crp", exact("Acme Corp", "fuzzy")],
    ["globec", exact("Globex", "fuzzy")],
    ["acme cxrp", exact("Acme Corp", "fuzzy")],
    // nothing close enough to pick: looser suggestions
    ["glbx", none("Globex", "Müller GmbH")], // 2 edits from "globex" and from "gmbh"
    ["xyz", none()],
    ["", none()],
    ["   ", none()],
    ["!!!", none()],
  ])("%j", (query, expected) => {
    expect(matchByName(query, candidates)).toEqual(expected);
  });

  it("reports duplicates of an exact name as ambiguous", () => {
    const dupes = [
      { key: "Acme Corp", item: 1 },
      { key: "acme corp", item: 2 },
      { key: "Acme Corporation", item: 3 },
    ];
    expect(matchByName("Acme Corp", dupes)).toEqual({ kind: "ambiguous", items: [1, 2] });
  });

  it("prefers an exact match over prefix matches", () => {
    const list = [
      { key: "Acme Corporation", item: "long" },
      { key: "Acme", item: "short" },
    ];
    expect(matchByName("acme", list)).toEqual({ kind: "exact", item: "short", match: "exact" });
  });

  it("reports equally close typo matches as ambiguous", () => {
    const people = [
      { key: "Jon Smith", item: "jon" },
      { key: "Jan Smith", item: "jan" },
      { key: "Joan Smythe", item: "joan" },
    ];
    expect(matchByName("jen smith", people)).toEqual({ kind: "ambiguous", items: ["jan", "jon"] });
  });

  it("caps ambiguous results at 10, best first", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ key: `Acme ${String(i + 1).padStart(2, "0")}`, item: i + 1 }));
    expect(matchByName("acme", many)).toEqual({ kind: "ambiguous", items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
  });

  it("handles empty candidate lists and huge queries", () => {
    expect(matchByName("acme", [])).toEqual({ kind: "none", suggestions: [] });
    expect(matchByName("a".repeat(10_000), candidates).kind).toBe("none");
  });
});

describe("didYouMean", () => {
  const commands = ["add", "list", "done", "snooze", "help", "report"];
  it.each<[string, string | null]>([
    ["list", "list"],
    ["LIST", "list"],
    ["lst", "list"], // 1 edit
    ["lis", "list"], // prefix
    ["ad", "add"],
    ["sn", "snooze"],
    ["rep", "report"],
    ["hepl", "help"], // transposition
    ["dne", "done"],
    ["snoze", "snooze"],
    ["repotr", "report"],
    ["d", null], // a single character is too little to guess from
    ["xyzzy", null],
    ["", null],
    ["deletes", null],
  ])("%j → %j", (input, expected) => {
    expect(didYouMean(input, commands)).toBe(expected);
  });

  it("breaks ties by option order", () => {
    expect(didYouMean("doxe", ["done", "dove"])).toBe("done");
    expect(didYouMean("doxe", ["dove", "done"])).toBe("dove");
  });

  it("picks the shortest option among several prefix matches", () => {
    expect(didYouMean("re", ["report", "remind", "rep"])).toBe("rep");
  });
});
