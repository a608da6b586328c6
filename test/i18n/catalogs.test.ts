import { describe, expect, it } from "vitest";
import { isPlural, PLURAL_FORMS, type Message } from "../../src/i18n/message.js";
import { catalogs, translate, type MessageKey } from "../../src/i18n/translate.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const KEYS = Object.keys(catalogs.en) as MessageKey[];

/** Each form of a message ("text" for a plain string) with its text. */
function forms(message: Message): [string, string][] {
  if (!isPlural(message)) return [["text", message]];
  return PLURAL_FORMS.flatMap((f) => (message[f] === undefined ? [] : [[f, message[f]] as [string, string]]));
}

/**
 * Placeholders that hold a count. A plain (non-plural) message may show one only when no noun or
 * verb depends on the number, so it reads right for 0, 1 and many; each exception says why.
 */
const COUNT_LIKE = new Set(["count", "days", "n", "amounts", "months", "max", "reps", "accounts", "elapsed", "shown", "page", "pages", "threshold", "growth", "standard"]);
const PLAIN_WITH_COUNT: Partial<Record<MessageKey, string>> = {
  "accounts.more": "button label “More (3 left)” / “Mehr (noch 3)”: no noun",
  "accounts.list.heading": "a range “1–10 of 12”",
  "accounts.list.headingSearch": "a range “1–10 of 12”",
  "accounts.detail.touches": "“(3 of 12)” after the heading noun",
  "accounts.detail.deals": "“(3 of 12)” after the heading noun",
  "accounts.detail.gifts": "label: value",
  "followups.heading": "a range “1–10 of 12”",
  "accounts.error.nameTooLong": "{max} is a code constant > 1",
  "accounts.error.industryTooLong": "{max} is a code constant > 1",
  "accounts.error.searchTooLong": "{max} is a code constant > 1",
  "touches.error.noteTooLong": "{max} is a code constant > 1",
  "touches.error.tooManyParticipants": "{max} is a code constant > 1",
  "followups.error.titleTooLong": "{max} is a code constant > 1",
  "deal.reasonTooLong": "{max} is a code constant > 1",
  "deal.several": "only shown for two or more open deals",
  "deal.won.bonus": "{threshold} is a percentage",
  "quota.commission.decelerated": "{threshold} is a percentage",
  "quota.commission.nextBonus": "{threshold} is a percentage",
  "gift.recipientTooLong": "{max} is a code constant > 1",
  "gift.descriptionTooLong": "{max} is a code constant > 1",
  "gifts.page": "“Page 2 of 3”",
  "logTouch.error.noteTooLong": "{max} is a code constant > 1",
  "digest.lost.error.tooLong": "{max} is a code constant > 1",
  "settings.error.skip_dates_too_many": "{max} is a code constant > 1",
  "team.error.invalidName": "{max} is a code constant > 1",
  "team.show.members": "label “Members (3): …”",
  "admin.home.summary": "“key 7 d” / “Key 7 T.”: unit abbreviations",
  "admin.home.holidays": "label: value",
  "accounts.overdueBy": "composed of the plural messages accounts.daysOverdue and accounts.touchEvery",
  "managerDigest.summary": "composed of the plural messages managerDigest.summary.reps and .keyAccounts",
};

describe("message catalogs", () => {
  it("English and German have exactly the same keys", () => {
    expect(Object.keys(catalogs.de).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it.each(KEYS)("%s: same plural forms and placeholders in both languages, and no empty text", (key) => {
    const en = forms(catalogs.en[key]);
    const de = forms(catalogs.de[key]);
    expect(de.map(([form]) => form)).toEqual(en.map(([form]) => form));
    for (const [form, text] of en) {
      const other = de.find(([f]) => f === form)?.[1] ?? "";
      expect(text.trim(), `${key} en ${form}`).not.toBe("");
      expect(other.trim(), `${key} de ${form}`).not.toBe("");
      expect(placeholders(other), `${key} ${form}`).toEqual(placeholders(text));
    }
  });

  it.each(KEYS.filter((k) => isPlural(catalogs.en[k])))("%s: a plural message has one and other, and shows {count} in other", (key) => {
    const message = catalogs.en[key];
    if (!isPlural(message)) throw new Error("not plural");
    expect(message.one).toBeTypeOf("string");
    expect(placeholders(message.other)).toContain("count");
  });

  it("every plain message with a count placeholder is listed, with the reason it needs no plural", () => {
    const unlisted = KEYS.filter((key) => {
      const message = catalogs.en[key];
      if (isPlural(message)) return false;
      return placeholders(message).some((p) => p !== undefined && COUNT_LIKE.has(p)) && !(key in PLAIN_WITH_COUNT);
    });
    expect(unlisted).toEqual([]);
    const stale = Object.keys(PLAIN_WITH_COUNT).filter((key) => !(key in catalogs.en) || isPlural(catalogs.en[key as MessageKey]));
    expect(stale).toEqual([]);
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "error.unknownSubcommand", { input: "x" })).toBe("I don't know `x`.");
    expect(translate("de", "error.didYouMean", {})).toContain("{suggestion}");
    expect(translate("en", "help.footer")).toContain("Tip:");
  });
});

describe("plurals", () => {
  it("picks one or other by the language's rules and fills {count}", () => {
    expect(translate("en", "accounts.daysOverdue", { count: 1 })).toBe("1 day overdue");
    expect(translate("en", "accounts.daysOverdue", { count: 2 })).toBe("2 days overdue");
    expect(translate("de", "accounts.daysOverdue", { count: 1 })).toBe("1 Tag überfällig");
    expect(translate("de", "accounts.daysOverdue", { count: 5 })).toBe("5 Tage überfällig");
    expect(translate("de", "accounts.daysAgo", { count: 1 })).toBe("vor 1 Tag");
    expect(translate("de", "accounts.daysAgo", { count: 12 })).toBe("vor 12 Tagen");
  });

  it("without a zero form, 0 takes the other form (0 days, 0 Tage); 1.5 is other", () => {
    expect(translate("en", "accounts.daysOverdue", { count: 0 })).toBe("0 days overdue");
    expect(translate("de", "accounts.daysOverdue", { count: 0 })).toBe("0 Tage überfällig");
    expect(translate("en", "accounts.daysOverdue", { count: 1.5 })).toBe("1.5 days overdue");
  });

  it("a zero form is used for exactly 0", () => {
    const params = { title: "Send proposal", account: "Acme" };
    expect(translate("en", "digest.followUps.row", { ...params, count: 0 })).toBe("*Send proposal* — Acme · due today");
    expect(translate("en", "digest.followUps.row", { ...params, count: 1 })).toBe("*Send proposal* — Acme · overdue by 1 day");
    expect(translate("en", "digest.followUps.row", { ...params, count: 3 })).toBe("*Send proposal* — Acme · overdue by 3 days");
    expect(translate("de", "digest.followUps.row", { ...params, count: 0 })).toBe("*Send proposal* — Acme · heute fällig");
    expect(translate("de", "digest.followUps.row", { ...params, count: 1 })).toBe("*Send proposal* — Acme · seit 1 Tag überfällig");
  });

  it("a form without {count} (touch every day) and a missing count (other form, placeholder visible)", () => {
    expect(translate("en", "accounts.touchEvery", { count: 1 })).toBe("touch every day");
    expect(translate("de", "accounts.touchEvery", { count: 14 })).toBe("Kontakt alle 14 Tage");
    // A caller that bypasses the types still gets readable text, and the gap shows.
    const untyped = translate as (language: "en", key: string, params?: Record<string, string | number>) => string;
    expect(untyped("en", "accounts.daysOverdue", {})).toBe("{count} days overdue");
  });
});
