import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgs, parseMention, tokenize, tokensToText, type Token } from "../../src/domain/command-args.js";

const w = (value: string): Token => ({ kind: "word", value });
const opt = (key: string, value: string): Token => ({ kind: "option", key, value });
const user = (id: string): Token => ({ kind: "user", id });

describe("tokenize", () => {
  it.each<[string, Token[]]>([
    ["", []],
    ["   \t\n ", []],
    ["add Acme", [w("add"), w("Acme")]],
    ["  add   Acme  ", [w("add"), w("Acme")]],
    ["a\u00a0b", [w("a"), w("b")]], // NBSP separates too
    // quotes
    ['touch "Acme Corp" call', [w("touch"), w("Acme Corp"), w("call")]],
    ["touch “Acme Corp” call", [w("touch"), w("Acme Corp"), w("call")]],
    ["touch „Müller GmbH“ anruf", [w("touch"), w("Müller GmbH"), w("anruf")]],
    ["touch 'Acme Corp' call", [w("touch"), w("Acme Corp"), w("call")]],
    ["touch ‘Acme Corp’", [w("touch"), w("Acme Corp")]],
    ["touch «Acme Corp»", [w("touch"), w("Acme Corp")]],
    ['"Acme Corp".', [w("Acme Corp.")]], // text glued to the closing quote stays
    ['""', [w("")]],
    ["O'Brien don't", [w("O'Brien"), w("don't")]], // apostrophes inside words are literal
    ['say a"b c"', [w("say"), w('a"b'), w('c"')]],
    // unbalanced quote: the rest is one token
    ['note "call them tomorrow   ', [w("note"), w("call them tomorrow")]],
    ["note „offen", [w("note"), w("offen")]],
    // options
    ["due:friday", [opt("due", "friday")]],
    ["Due:Friday", [opt("due", "Friday")]],
    ['note:"multi word value" x', [opt("note", "multi word value"), w("x")]],
    ["note:„mehrere Wörter“", [opt("note", "mehrere Wörter")]],
    ["amount:12k tier:key", [opt("amount", "12k"), opt("tier", "key")]],
    ["when:10:30", [opt("when", "10:30")]],
    ['"due:friday"', [w("due:friday")]], // quoted → literal word
    ["note: call them", [w("note:"), w("call"), w("them")]],
    ["10:30", [w("10:30")]],
    ["a_b:c", [w("a_b:c")]],
    ["https://example.com/x", [w("https://example.com/x")]],
    ["mailto:bob@example.com", [w("mailto:bob@example.com")]],
    ["foo://bar", [w("foo://bar")]],
    // Slack-escaped mentions
    ["<@U123ABC|bob>", [user("U123ABC")]],
    ["<@U123ABC>", [user("U123ABC")]],
    ["<@W0ENTERPRISE>", [user("W0ENTERPRISE")]],
    ["<#C123|general>", [{ kind: "channel", id: "C123", name: "general" }]],
    ["<#C123|>", [{ kind: "channel", id: "C123" }]],
    ["<#C123>", [{ kind: "channel", id: "C123" }]],
    ["<!subteam^S123|@sales>", [{ kind: "usergroup", id: "S123", handle: "@sales" }]],
    ["<!subteam^S123>", [{ kind: "usergroup", id: "S123" }]],
    ["assign <@U1|a>,<@U2|b> now", [w("assign"), user("U1"), w(","), user("U2"), w("now")]],
    ["cc<@U1>", [w("cc"), user("U1")]],
    ["owner:<@U1|bob>", [opt("owner", "<@U1|bob>")]],
    // other <…> forms are left alone
    ["<!here>", [w("<!here>")]],
    ["<https://acme.com|acme.com>", [w("<https://acme.com|acme.com>")]],
    ["<@lowercase>", [w("<@lowercase>")]],
    ["a < b", [w("a"), w("<"), w("b")]],
    ["<<@U1>", [w("<"), user("U1")]],
    // Slack HTML entities
    ["AT&amp;T &lt;3", [w("AT&T"), w("<3")]],
    ["note:AT&amp;T", [opt("note", "AT&T")]],
    // emoji, RTL, combining characters
    ["🎉 deal:won 👍🏽", [w("🎉"), opt("deal", "won"), w("👍🏽")]],
    ["עסקה \"שם ארוך\"", [w("עסקה"), w("שם ארוך")]],
    ["e\u0301clair", [w("e\u0301clair")]],
  ])("%j", (input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });

  it("never throws on arbitrary input and always terminates", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        const tokens = tokenize(s);
        expect(Array.isArray(tokens)).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("<", ">", "@", "#", "!", "|", "U1", '"', "“", "„", "'", ":", "a", " ", "&amp;"), {
          maxLength: 60,
        }),
        (parts) => {
          expect(() => tokenize(parts.join(""))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  // No wall-clock limit: a regular expression backtracking catastrophically on 10 kB does not run a
  // few seconds too long, it does not finish in any reasonable time, so this test cannot pass with one.
  it("tokenizes 10 kB adversarial strings", () => {
    const inputs = [
      "<".repeat(10_000),
      "<@" + "A".repeat(10_000),
      "<@U1|" + "x".repeat(10_000),
      '"'.repeat(10_000),
      "a:".repeat(5_000),
      "x ".repeat(5_000),
      "𝓍".repeat(5_000),
    ];
    for (const s of inputs) expect(Array.isArray(tokenize(s))).toBe(true);
    expect(tokenize("x ".repeat(5_000))).toHaveLength(5_000);
    expect(tokenize('"' + "a b ".repeat(2_500))).toEqual([w("a b ".repeat(2_500).trimEnd())]);
  });
});

describe("parseMention", () => {
  it.each<[string, Token | null]>([
    ["<@U1|bob>", user("U1")],
    [" <@U1> ", user("U1")],
    ["<#C9|deals>", { kind: "channel", id: "C9", name: "deals" }],
    ["<!subteam^S1|@ae>", { kind: "usergroup", id: "S1", handle: "@ae" }],
    ["<@U1> extra", null],
    ["bob", null],
    ["", null],
  ])("%j", (input, expected) => {
    expect(parseMention(input)).toEqual(expected);
  });
});

describe("parseArgs", () => {
  it("separates options from positional tokens", () => {
    const args = parseArgs('touch "Acme Corp" <@U1|bob> type:call note:"went well" type:email');
    expect(args.positional).toEqual([w("touch"), w("Acme Corp"), user("U1")]);
    expect(args.words).toEqual(["touch", "Acme Corp"]);
    expect([...args.options]).toEqual([
      ["type", "email"], // the last repeated key wins
      ["note", "went well"],
    ]);
    expect(args.tokens).toHaveLength(6);
  });

  it("keeps prototype-like keys as plain data", () => {
    const args = parseArgs("constructor:x");
    expect(args.options.get("constructor")).toBe("x");
    expect(parseArgs("").options.get("constructor")).toBeUndefined();
  });
});

describe("tokensToText", () => {
  it.each<[Token[], string]>([
    [[w("call"), user("U1"), w("re"), { kind: "channel", id: "C1", name: "x" }], "call <@U1> re <#C1>"],
    [[{ kind: "usergroup", id: "S1" }, opt("due", "fri")], "<!subteam^S1> due:fri"],
    [[], ""],
  ])("%j → %j", (tokens, expected) => {
    expect(tokensToText(tokens)).toBe(expected);
  });
});
