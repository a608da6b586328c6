import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseDueDateOrNull } from "../../src/domain/natural-dates.js";
import { parseFollowUpArgs, parseLogArgs, parseTouchKind, textAfterTokens, type TouchKind } from "../../src/domain/touch-args.js";

describe("parseTouchKind", () => {
  it.each<[string, TouchKind | null]>([
    ["call", "call"],
    ["CALL", "call"],
    ["Anruf", "call"],
    ["telefonat", "call"],
    ["e-mail", "email"],
    ["Mail", "email"],
    ["termin", "meeting"],
    ["Treffen", "meeting"],
    ["demo", "demo"],
    ["Vorführung", "demo"],
    ["essen", "meal"],
    ["Mittagessen", "meal"],
    ["lunch", "meal"],
    ["entertainment", "entertainment"],
    ["Bewirtung", null], // a gift word, not a touch kind
    ["notiz", "note"],
    ["note,", "note"],
    ["acme", null],
    ["", null],
    ["constructor", null],
  ])("%s → %s", (word, kind) => {
    expect(parseTouchKind(word)).toBe(kind);
  });
});

describe("textAfterTokens", () => {
  it.each<[string, number, string]>([
    ["acme call talked  about \"pricing\"", 2, 'talked  about "pricing"'],
    ['"Acme Corp" call note', 2, "note"],
    ["acme call with <@U1|bob> and <@U2|eve> lunch &amp; learn", 6, "lunch & learn"],
    ["acme call", 2, ""],
    ["acme call", 0, "acme call"],
    ["acme call\nline two", 2, "line two"],
  ])("%j after %i tokens → %j", (text, count, expected) => {
    expect(textAfterTokens(text, count)).toBe(expected);
  });

  // No wall-clock limit: a regular expression backtracking catastrophically on 10 kB does not run a
  // few seconds too long, it does not finish in any reasonable time, so this test cannot pass with one.
  it("is safe on 10 kB of input", () => {
    const text = `acme call ${"x ".repeat(5000)}`;
    expect(textAfterTokens(text, 2).length).toBe(9999);
  });
});

describe("parseLogArgs", () => {
  it.each<[string, unknown]>([
    ["", { kind: "empty" }],
    ["   ", { kind: "empty" }],
    ["acme", { kind: "account_only", account: "acme" }],
    ['"Acme Corp"', { kind: "account_only", account: "Acme Corp" }],
    ["acme phoned them", { kind: "no_kind" }],
    ["<@U1|bob> call", { kind: "no_account" }],
  ])("%j → %j", (text, expected) => {
    expect(parseLogArgs(text)).toEqual(expected);
  });

  it("reads account, kind, participants and the raw note", () => {
    const r = parseLogArgs("acme corp meeting with <@U1|bob>, <@U2|eve> and <@U1|bob> Talked about \"Q3\" pricing");
    expect(r).toEqual({
      kind: "ok",
      candidates: [
        {
          account: "acme corp",
          kind: "meeting",
          participants: ["U1", "U2"],
          note: 'Talked about "Q3" pricing',
          rest: 'meeting with <@U1|bob>, <@U2|eve> and <@U1|bob> Talked about "Q3" pricing',
        },
      ],
    });
  });

  it("accepts German kinds and 'mit'", () => {
    const r = parseLogArgs('"Müller GmbH" anruf mit <@U9|jo> Angebot besprochen');
    expect(r).toMatchObject({ kind: "ok", candidates: [{ account: "Müller GmbH", kind: "call", participants: ["U9"], note: "Angebot besprochen" }] });
  });

  it("offers later kind words as alternatives when the account name contains a kind word", () => {
    const r = parseLogArgs("acme mail call went well");
    expect(r).toMatchObject({
      kind: "ok",
      candidates: [
        { account: "acme", kind: "email", note: "call went well" },
        { account: "acme mail", kind: "call", note: "went well" },
      ],
    });
  });

  it("does not take 'with' as participants without a mention", () => {
    expect(parseLogArgs("acme call with the CFO")).toMatchObject({ kind: "ok", candidates: [{ participants: [], note: "with the CFO" }] });
  });

  it("an account called like a kind still works when a kind follows", () => {
    expect(parseLogArgs("demo call")).toMatchObject({ kind: "ok", candidates: [{ account: "demo", kind: "call", note: "" }] });
  });
});

describe("parseFollowUpArgs", () => {
  // 2026-03-04 is a Wednesday.
  const now = DateTime.fromISO("2026-03-04T10:00", { zone: "Europe/Berlin" }).toJSDate();
  const en = (when: string) => parseDueDateOrNull(when, { now, zone: "Europe/Berlin", language: "en" });
  const de = (when: string) => parseDueDateOrNull(when, { now, zone: "Europe/Berlin", language: "de" });

  it.each<[string, "en" | "de", unknown]>([
    ["acme tomorrow send deck", "en", { account: "acme", when: "tomorrow", date: "2026-03-05", title: "send deck" }],
    ["acme in 3 days send the deck", "en", { account: "acme", when: "in 3 days", date: "2026-03-07", title: "send the deck" }],
    ["acme corp friday call back", "en", { account: "acme corp", when: "friday", date: "2026-03-06", title: "call back" }],
    ['"Acme Corp" 2026-12-03 renewal', "en", { account: "Acme Corp", when: "2026-12-03", date: "2026-12-03", title: "renewal" }],
    ["müller nächsten Montag anrufen", "de", { account: "müller", when: "nächsten Montag", date: "2026-03-09", title: "anrufen" }],
    ["müller in 3 Tagen Angebot schicken", "de", { account: "müller", when: "in 3 Tagen", date: "2026-03-07", title: "Angebot schicken" }],
    ["acme tomorrow at 3pm call", "en", { account: "acme", when: "tomorrow at 3pm", date: "2026-03-05", title: "call" }],
  ])("%j (%s)", (text, language, expected) => {
    const r = parseFollowUpArgs(text, language === "de" ? de : en);
    expect(r.kind).toBe("ok");
    if (r.kind === "ok") expect(r.candidates[0]).toMatchObject(expected as object);
  });

  it.each<[string, unknown]>([
    ["", { kind: "empty" }],
    ["acme", { kind: "account_only", account: "acme" }],
    ["acme tomorrow", { kind: "no_title", when: "tomorrow" }],
    ["acme sometime soon", { kind: "no_date" }],
    ["<@U1|x> tomorrow call", { kind: "no_account" }],
  ])("%j → %j", (text, expected) => {
    expect(parseFollowUpArgs(text, en)).toEqual(expected);
  });

  it("keeps the follow-up text as typed and gives the text to re-run with", () => {
    const r = parseFollowUpArgs('acme friday send "the deck"  now', en);
    expect(r).toMatchObject({ kind: "ok", candidates: [{ title: 'send "the deck"  now', rest: 'friday send "the deck"  now' }] });
  });

  it("bounds the work on long input", () => {
    let calls = 0;
    const r = parseFollowUpArgs(`a ${"b ".repeat(5000)}`, (w) => {
      calls++;
      return en(w);
    });
    expect(r.kind).toBe("no_date");
    expect(calls).toBeLessThanOrEqual(6 * 6);
  });
});
