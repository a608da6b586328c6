import { describe, expect, it } from "vitest";
import { clipPlain } from "../../src/slack/blocks/account-format.js";
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
