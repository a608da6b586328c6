import { describe, expect, it } from "vitest";
import { clipPlain } from "../../src/slack/blocks/account-format.js";
import { accountLine } from "../../src/slack/blocks/account-list-blocks.js";
import type { Actor } from "../../src/services/actor-service.js";
import type { AccountSummary } from "../../src/services/account-service.js";
import { logTouchModal } from "../../src/slack/blocks/account-modal-blocks.js";
import { translator } from "../../src/i18n/translate.js";

describe("clipPlain", () => {
  it.each([
    ["short", 10, "short"],
    ["abcdefghij", 5, "abcd…"],
    ["abc😀def", 5, "abc…"], // never half an emoji
    ["ab😀def", 5, "ab😀…"],
  ])("%j to %i → %j", (text, max, expected) => {
    const out = clipPlain(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("log-touch modal", () => {
  const t = translator("en");
  it("keeps to Slack's limits: ≤ 100 options, ≤ 75-character labels, ≤ 24-character title, preselection", () => {
    const accounts = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, name: `${"😀".repeat(60)} ${i}`, ownerName: "Someone", mine: i % 2 === 0 }));
    const view = logTouchModal(t, { accounts, selectedAccountId: 7, today: "2026-03-04", privateMetadata: "{}" });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const select = (view.blocks[0] as { element: { options: { text: { text: string }; value: string }[]; initial_option?: { value: string } } }).element;
    expect(select.options).toHaveLength(100);
    for (const o of select.options) expect(o.text.text.length).toBeLessThanOrEqual(75);
    expect(select.initial_option?.value).toBe("7");
    expect(JSON.stringify(view.blocks)).toContain("Only your first 100 accounts are listed");
  });
});

describe("account line: how overdue, in words that match the number", () => {
  const NOW = new Date("2026-03-04T12:00:00Z");
  const actor = (language: "en" | "de") =>
    ({ user: { id: 1 }, workspace: { currency: "USD" }, language, zone: "UTC", locale: language === "de" ? "de-DE" : "en-US" }) as unknown as Actor;
  const account = (overdueDays: number, thresholdDays: number, daysSinceTouch: number): AccountSummary => ({
    id: 1,
    name: "Acme",
    tier: "key",
    kind: "company",
    annualValueCents: 0,
    industry: null,
    owner: { id: 1, name: "Me", slackUserId: "UME" },
    lastTouchAt: new Date(NOW.getTime() - daysSinceTouch * 86_400_000),
    daysSinceTouch,
    thresholdDays,
    overdueDays,
    snoozedUntil: null,
  });

  it.each([
    ["en", 1, 1, 2, "Last touch 2 days ago", "*1 day overdue* (touch every day)"],
    ["en", 3, 7, 10, "Last touch 10 days ago", "*3 days overdue* (touch every 7 days)"],
    ["de", 1, 1, 2, "Letzter Kontakt vor 2 Tagen", "*1 Tag überfällig* (Kontakt jeden Tag)"],
    ["de", 4, 14, 18, "Letzter Kontakt vor 18 Tagen", "*4 Tage überfällig* (Kontakt alle 14 Tage)"],
  ] as const)("[%s] %i day(s) over a %i-day cadence", (language, overdue, threshold, since, touch, status) => {
    const line = accountLine(translator(language), actor(language), account(overdue, threshold, since), NOW);
    expect(line).toContain(touch);
    expect(line).toContain(status);
  });
});
