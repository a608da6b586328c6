import type { KnownBlock } from "@slack/types";
import type { DealAttentionRow } from "../../src/domain/deal-attention.js";
import { describe, expect, it } from "vitest";
import type { ReminderView, FollowUpRow, ManagerDigestView, NeglectedRow } from "../../src/domain/reminder.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { quotaProgress } from "../../src/domain/quota.js";
import { translator, type Language } from "../../src/i18n/translate.js";
import type { HomeView } from "../../src/services/reminder-service.js";
import { blocksAsText, dealIdOfActionsBlock, REMINDER_ROW, reminderMessage, followUpRowText, markRowDone, MAX_MESSAGE_BLOCKS, neglectedRowText, quotaGapText } from "../../src/slack/blocks/reminder-blocks.js";
import { homeView, MAX_HOME_BLOCKS } from "../../src/slack/blocks/home-blocks.js";
import { managerDigestMessage } from "../../src/slack/blocks/manager-digest-blocks.js";
import type { ReminderFormat } from "../../src/slack/blocks/reminder-format.js";
import { settingsErrors, settingsModal } from "../../src/slack/blocks/settings-blocks.js";
import { ACTIONS } from "../../src/slack/ids.js";

const NOW = new Date("2026-11-02T14:00:00Z");
const LONG = "Ünïcode & <Sons> ".repeat(40);

function fmt(language: Language = "en"): ReminderFormat {
  return { t: translator(language), locale: language === "de" ? "de-DE" : "en-US", currency: "USD", zone: "America/New_York", paceMode: "business" };
}

const neglected = (i: number): NeglectedRow => ({
  accountId: i,
  name: `${LONG}${i}`,
  tier: "key",
  annualValueCents: 12_000_000,
  daysSinceTouch: 10 + i,
  thresholdDays: 7,
  overdueDays: 3 + i,
  neverTouched: i % 2 === 0,
});
const followUp = (i: number): FollowUpRow => ({ id: 100 + i, title: `${LONG}${i}`, accountId: i, accountName: LONG, dueDate: "2026-10-30", daysOverdue: i % 3 });

function gap() {
  const period = periodForLocalDate("quarter", "2026-11-02", "America/New_York", 1);
  const p = quotaProgress({ quotaCents: 30_000_000, wonCents: 1_000_000, period, now: NOW, zone: "America/New_York", paceMode: "business" });
  return {
    period,
    wonCents: 1_000_000,
    effectiveQuotaCents: 30_000_000,
    attainment: p.attainment ?? 0,
    paceTargetCents: p.paceTargetCents ?? 0,
    behindByCents: p.gapToPaceCents ?? 0,
    neededPerRemainingDayCents: p.neededPerRemainingDayCents,
    remainingDays: p.remainingDays,
    projectedFinishCents: p.projectedFinishCents,
    projectedAttainment: p.projectedAttainment,
  };
}

function bigView(followUps = 40): ReminderView {
  return {
    localDate: "2026-11-02",
    neglected: { rows: [1, 2, 3, 4, 5].map(neglected), restCount: 12 },
    quotaGap: gap(),
    followUps: { rows: Array.from({ length: followUps }, (_, i) => followUp(i)), restCount: 3 },
    deals: { rows: [1, 2, 3, 4, 5].map((i) => dealRow(i)), restCount: 4 },
  };
}

function dealRow(id: number, o: Partial<DealAttentionRow> = {}): DealAttentionRow {
  return {
    dealId: id,
    accountId: id,
    accountName: `<Sons> & Daughters ${"x".repeat(200)}`,
    title: null,
    amountCents: 50_000_00,
    stage: "proposal",
    reason: "past_close",
    lateDays: 12,
    score: 50_000_00 * 12,
    closeDate: "2026-10-21",
    daysInStage: 20,
    daysSinceTouch: 3,
    ...o,
  };
}

/** Every limit the builders promise: block count, section text, button label and value. */
function checkLimits(blocks: KnownBlock[], maxBlocks: number): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  expect(new Set(ids).size).toBe(ids.length);
  for (const b of blocks) {
    if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === "actions") {
      for (const e of b.elements) {
        if (e.type !== "button") continue;
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect((e.value ?? "").length).toBeLessThanOrEqual(2000);
      }
    }
  }
}

describe("digest message", () => {
  it.each<Language>(["en", "de"])("stays within Slack's limits with long names and many follow-ups [%s]", (language) => {
    const m = reminderMessage(bigView(), fmt(language));
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    const text = blocksAsText(m);
    // The follow-ups that did not fit are counted, not dropped silently.
    expect(text).toMatch(language === "en" ? /and \d+ more\. `\/ae followups`/ : /und \d+ weitere\. `\/ae followups`/);
    expect(text).not.toContain("<Sons>");
    expect(text).toContain("&lt;Sons&gt;");
  });

  it("shows each section only when it has something, with the buttons of each row", () => {
    const view: ReminderView = { localDate: "2026-11-02", neglected: { rows: [neglected(1)], restCount: 0 }, quotaGap: null, followUps: { rows: [], restCount: 0 }, deals: { rows: [], restCount: 0 } };
    const m = reminderMessage(view, fmt());
    const text = blocksAsText(m);
    expect(text).toContain("Accounts that need a touch");
    expect(text).not.toContain("Quota");
    expect(text).not.toContain("Follow-ups due");
    const actions = (m.blocks ?? []).filter((b) => b.type === "actions");
    expect(actions).toHaveLength(1);
    const ids = actions.flatMap((b) => (b.type === "actions" ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : []));
    expect(ids).toEqual([ACTIONS.logTouch, ACTIONS.snoozeAccount1d, ACTIONS.snoozeAccount1w, ACTIONS.openAccount]);
    expect(m.text).toBe("Your day — Mon, Nov 2: 1 account needs a touch");
  });

  it.each<[Language, string[]]>([
    [
      "en",
      [
        "*Acme* · $50,000 · proposal\nClose date Wed, Oct 21 passed 12 days ago",
        "*Globex* — Renewal · $20,000 · negotiation\nCloses Thu, Nov 5 — no touch on the account for 9 days",
        "*Initech* · $1,000 · qualified\nIn qualified for 1 day without a stage change",
        "…and 2 more deals that need attention.",
      ],
    ],
    [
      "de",
      [
        "*Acme* · 50.000 $ · Angebot\nAbschlussdatum Mi., 21. Okt. seit 12 Tagen überschritten",
        "*Globex* — Renewal · 20.000 $ · Verhandlung\nSchließt am Do., 5. Nov. — seit 9 Tagen kein Kontakt zum Account",
        "*Initech* · 1.000 $ · qualifiziert\nSeit 1 Tag in qualifiziert, ohne Phasenwechsel",
        "…und 2 weitere Deals, die Aufmerksamkeit brauchen.",
      ],
    ],
  ])("deals that need attention: why each one, its buttons, and the rest counted [%s]", (language, lines) => {
    const view: ReminderView = {
      localDate: "2026-11-02",
      neglected: { rows: [], restCount: 0 },
      quotaGap: null,
      followUps: { rows: [], restCount: 0 },
      deals: {
        rows: [
          dealRow(7, { accountName: "Acme" }),
          dealRow(8, { accountName: "Globex", title: "Renewal", amountCents: 20_000_00, stage: "negotiation", reason: "close_soon", lateDays: 4, closeDate: "2026-11-05", daysSinceTouch: 9 }),
          dealRow(9, { accountName: "Initech", amountCents: 1_000_00, stage: "qualified", reason: "stalled", lateDays: 1, closeDate: null, daysInStage: 1 }),
        ],
        restCount: 2,
      },
    };
    const m = reminderMessage(view, fmt(language));
    const text = blocksAsText(m).replace(/\u00a0/g, " ");
    for (const line of lines) expect(text).toContain(line);
    expect(text).toContain(language === "en" ? "[Push 1 week] [Push to… ▾] [Won] [Lost] [Update stage ▾]" : "[1 Woche schieben] [Schieben auf… ▾] [Gewonnen] [Verloren] [Phase ändern ▾]");
    expect(m.text).toContain(language === "en" ? "5 deals need attention" : "5 Deals brauchen Aufmerksamkeit");
    const rowActions = (m.blocks ?? []).find((b) => b.block_id === REMINDER_ROW.dealActions(7));
    if (rowActions?.type !== "actions") throw new Error("no actions under the deal row");
    expect(rowActions.elements.map((e) => ("action_id" in e ? e.action_id : ""))).toEqual([ACTIONS.dealPushWeek, ACTIONS.dealPushDate, ACTIONS.dealWon, ACTIONS.dealLost, ACTIONS.dealStage]);
    // Late since Oct 21: the picker starts a week from today; the select offers the other open stages.
    expect(rowActions.elements[1]).toMatchObject({ type: "datepicker", initial_date: "2026-11-09" });
    const select = rowActions.elements[4];
    expect(select?.type === "static_select" ? select.options?.map((o) => JSON.parse(o.value ?? "")) : []).toEqual([
      { d: 7, s: "prospect" },
      { d: 7, s: "qualified" },
      { d: 7, s: "negotiation" },
    ]);
    expect(dealIdOfActionsBlock(rowActions.block_id)).toBe(7);
  });

  it("quota gap says how far behind, the need per remaining business day and the projected finish", () => {
    const view: ReminderView = { localDate: "2026-11-02", neglected: { rows: [], restCount: 0 }, quotaGap: gap(), followUps: { rows: [], restCount: 0 }, deals: { rows: [], restCount: 0 } };
    const text = blocksAsText(reminderMessage(view, fmt()));
    expect(text).toMatch(/You're at \$10,000 of \$300,000 \(3%\)\. Linear pace today is \$[\d,]+, so you're \*\$[\d,]+ behind\*/);
    expect(text).toMatch(/per remaining business day \(\d+ left\)/);
    expect(text).toMatch(/you'll finish at \$[\d,]+ \(\d+%\)/);
  });

  it("markRowDone replaces one row and its buttons, leaving the others", () => {
    const m = reminderMessage(bigView(2), fmt());
    const blocks = markRowDone(m.blocks ?? [], "dg_acct_2", "✓ done");
    expect(blocks.find((b) => b.block_id === "dg_acct_2")).toEqual({ type: "section", block_id: "dg_acct_2", text: { type: "mrkdwn", text: "✓ done" } });
    expect(blocks.some((b) => b.block_id === "dg_acct_2_actions")).toBe(false);
    expect(blocks.some((b) => b.block_id === "dg_acct_3_actions")).toBe(true);
    expect(blocks).toHaveLength((m.blocks ?? []).length - 1);
    expect(markRowDone(m.blocks ?? [], "dg_acct_999", "x")).toEqual(m.blocks);
  });
});

describe("manager digest", () => {
  it("lists reps behind pace and key accounts with their owners", () => {
    const view: ManagerDigestView = {
      weekOf: "2026-11-02",
      repsBehind: [{ userId: 1, slackUserId: "UNY", name: "Nora", gap: gap() }],
      keyAccounts: { rows: [{ ...neglected(1), name: "Acme", ownerSlackUserId: "UNY", ownerName: "Nora" }], restCount: 2 },
      slippingDeals: { rows: [], restCount: 0 },
      departed: [],
    };
    const m = managerDigestMessage(view, fmt());
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    const text = blocksAsText(m);
    expect(text).toContain("<@UNY>");
    expect(text).toContain("*Acme* (<@UNY>)");
    expect(text).toContain("and 2 more key accounts");
    expect(text).not.toContain("need a new owner");
    expect(text).not.toContain("Slipping deals");
  });

  it.each<Language>(["en", "de"])("lists departed reps' books that need a new owner, within the limits [%s]", (language) => {
    const view: ManagerDigestView = {
      weekOf: "2026-11-02",
      repsBehind: [],
      keyAccounts: { rows: [], restCount: 0 },
      slippingDeals: { rows: [], restCount: 0 },
      departed: [
        { slackUserId: "UGONE", name: "Gus", since: "2026-10-28", accounts: 12 },
        { slackUserId: "erased-7", name: null, since: null, accounts: 1 },
      ],
    };
    const m = managerDigestMessage(view, fmt(language));
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    const text = blocksAsText(m);
    if (language === "en") {
      expect(text).toContain("*Accounts that need a new owner* — their owner left Slack:");
      expect(text).toContain("• <@UGONE> (deactivated Wed, Oct 28) still owns 12 accounts");
      expect(text).toContain("• a former user (deactivated —) still owns 1 account");
      expect(text).toContain("`/ae reassign @departed @colleague`");
      expect(m.text).toContain("2 departed reps' books to hand over");
    } else {
      expect(text).toContain("*Konten, die einen neuen Verantwortlichen brauchen*");
      expect(text).toContain("hat noch 12 Konten");
      expect(text).toContain("hat noch 1 Konto");
    }
  });

  it("with slipping deals and a departed rep's book both, shows both sections and counts both in the summary", () => {
    const view: ManagerDigestView = {
      weekOf: "2026-11-02",
      repsBehind: [],
      keyAccounts: { rows: [], restCount: 0 },
      slippingDeals: { rows: [{ ...dealRow(7, { accountName: "Acme" }), ownerSlackUserId: "UNY", ownerName: "Nora" }], restCount: 0 },
      departed: [{ slackUserId: "UGONE", name: "Gus", since: "2026-10-28", accounts: 3 }],
    };
    const m = managerDigestMessage(view, fmt());
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    expect(m.text).toBe("Your team this week — Mon, Nov 2: no rep behind pace, no key account without a touch, 1 slipping deal · 1 departed rep's book to hand over");
    const text = blocksAsText(m);
    expect(text.indexOf("Slipping deals in your team")).toBeLessThan(text.indexOf("Accounts that need a new owner"));
  });

  it("adds the team's slipping deals with their owners, the reminder's wording, the rest counted — in English and German, within Slack's limits", () => {
    const slipping = (id: number, owner: string, o: Partial<DealAttentionRow> = {}) => ({ ...dealRow(id, o), ownerSlackUserId: owner, ownerName: owner });
    const view: ManagerDigestView = {
      weekOf: "2026-11-02",
      repsBehind: [],
      keyAccounts: { rows: [], restCount: 0 },
      slippingDeals: {
        rows: [
          slipping(7, "UNY", { accountName: "Acme", title: "Renewal" }),
          slipping(8, "UBO", { accountName: "Globex", amountCents: 20_000_00, stage: "negotiation", reason: "close_soon", lateDays: 4, closeDate: "2026-11-05", daysSinceTouch: 9 }),
          slipping(9, "UNY", { accountName: "Initech", amountCents: 1_000_00, stage: "qualified", reason: "stalled", lateDays: 1, closeDate: null, daysInStage: 31 }),
          ...Array.from({ length: 7 }, (_, i) => slipping(20 + i, "UBO")),
        ],
        restCount: 3,
      },
      departed: [],
    };
    const en = managerDigestMessage(view, fmt());
    checkLimits(en.blocks ?? [], MAX_MESSAGE_BLOCKS);
    expect(en.text).toBe("Your team this week — Mon, Nov 2: no rep behind pace, no key account without a touch, 13 slipping deals");
    const text = blocksAsText(en);
    expect(text).toContain(":rotating_light: *Slipping deals in your team*");
    expect(text).toContain("• *Acme* — Renewal · $50,000 · proposal · <@UNY> — Close date Wed, Oct 21 passed 12 days ago");
    expect(text).toContain("• *Globex* · $20,000 · negotiation · <@UBO> — Closes Thu, Nov 5 — no touch on the account for 9 days");
    expect(text).toContain("• *Initech* · $1,000 · qualified · <@UNY> — In qualified for 31 days without a stage change");
    expect(text).toContain("…and 3 more slipping deals.");
    expect(text).not.toContain("<Sons>"); // account names are escaped, as in the reminder
    const de = managerDigestMessage(view, fmt("de"));
    expect(de.text).toContain("13 rutschende Deals");
    expect(blocksAsText(de)).toContain("*Rutschende Deals in deinem Team*");
    expect(blocksAsText(de)).toContain("…und 3 weitere rutschende Deals.");
  });
});

describe("Home tab", () => {
  it.each<Language>(["en", "de"])("stays within 100 blocks with many rows [%s]", (language) => {
    const period = periodForLocalDate("quarter", "2026-11-02", "America/New_York", 1);
    const home: HomeView = {
      reminder: { ...bigView(60), neglected: { rows: Array.from({ length: 10 }, (_, i) => neglected(i + 1)), restCount: 5 } },
      quota: { period, hasQuota: true, wonCents: 1_000_000, progress: quotaProgress({ quotaCents: 30_000_000, wonCents: 1_000_000, period, now: NOW, zone: "America/New_York", paceMode: "business" }) },
      schedule: { zone: "America/New_York", time: "09:00", days: new Set([1, 2, 3, 4, 5]), skipDates: new Set(), paused: false, inactive: false },
      nextReminder: { localDate: "2026-11-03", at: new Date("2026-11-03T14:00:00Z") },
    };
    const view = homeView(home, fmt(language), NOW);
    checkLimits(view.blocks as KnownBlock[], MAX_HOME_BLOCKS);
    expect(view.type).toBe("home");
  });
});

describe("settings modal", () => {
  it.each<Language>(["en", "de"])("fills in the current settings and fits Slack's modal limits [%s]", (language) => {
    const t = translator(language);
    const view = settingsModal(
      { reminderTime: "08:30", reminderDays: "1,3,5", language: null, timezone: "America/New_York", timezoneOverride: "Europe/Berlin", remindersPaused: true, reminderSkipDates: "2026-12-24" },
      t,
    );
    expect(view.type).toBe("modal");
    if (view.type !== "modal") return;
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const json = JSON.stringify(view);
    expect(json).toContain('"initial_time":"08:30"');
    expect(json).toContain('"initial_value":"Europe/Berlin"');
    expect(json).toContain('"initial_value":"2026-12-24"');
    expect(settingsErrors([{ field: "zone", problem: "zone_invalid", detail: "Mars" }], t)).toEqual({ settings_zone: expect.stringContaining("Mars") as unknown });
  });
});

describe("plurals in the digest, Home and manager digest", () => {
  const row = (daysSinceTouch: number, neverTouched = false): NeglectedRow => ({ ...neglected(1), name: "Acme", daysSinceTouch, thresholdDays: 1, neverTouched });
  const due = (daysOverdue: number): FollowUpRow => ({ ...followUp(1), title: "Send proposal", accountName: "Acme", daysOverdue });

  it.each([
    ["en", 1, "1 day without a touch"],
    ["en", 9, "9 days without a touch"],
    ["de", 1, "Seit 1 Tag kein Kontakt"],
    ["de", 9, "Seit 9 Tagen kein Kontakt"],
  ] as const)("neglected account [%s, %i days] → %s", (language, days, expected) => {
    expect(neglectedRowText(row(days), fmt(language))).toContain(expected);
  });

  it.each([
    ["en", 0, "Never touched — added today"],
    ["en", 1, "Never touched — added 1 day ago"],
    ["de", 0, "Noch nie kontaktiert — heute angelegt"],
    ["de", 1, "Noch nie kontaktiert — vor 1 Tag angelegt"],
  ] as const)("never touched [%s, added %i days ago] → %s", (language, days, expected) => {
    expect(neglectedRowText(row(days, true), fmt(language))).toContain(expected);
  });

  it.each([
    ["en", 0, "· due today"],
    ["en", 1, "· overdue by 1 day"],
    ["en", 4, "· overdue by 4 days"],
    ["de", 0, "· heute fällig"],
    ["de", 1, "· seit 1 Tag überfällig"],
  ] as const)("follow-up [%s, %i days overdue] → %s", (language, days, expected) => {
    expect(followUpRowText(due(days), fmt(language))).toBe(`*Send proposal* — Acme ${expected}`);
  });

  it("the summary and the “…and N more” lines agree with their number", () => {
    const view: ReminderView = { localDate: "2026-11-02", neglected: { rows: [row(3)], restCount: 1 }, quotaGap: null, followUps: { rows: [due(2)], restCount: 1 }, deals: { rows: [], restCount: 0 } };
    expect(reminderMessage(view, fmt()).text).toBe("Your day — Mon, Nov 2: 2 accounts need a touch · 2 follow-ups are due");
    const de = reminderMessage(view, fmt("de"));
    expect(blocksAsText(de)).toContain("…und 1 weiterer. `/ae accounts` zeigt alle.");
    expect(blocksAsText(de)).toContain("…und 1 weiteres. `/ae followups` zeigt alle.");
    const one: ReminderView = { ...view, neglected: { rows: [row(3)], restCount: 0 }, followUps: { rows: [due(2)], restCount: 0 }, deals: { rows: [], restCount: 0 } };
    expect(reminderMessage(one, fmt("de")).text).toBe("Dein Tag — Mo., 2. Nov.: 1 Account braucht einen Kontakt · 1 Follow-up ist fällig");
  });

  it("on the last day of the period the quota gap says “today”, not “per remaining day (1 left)”", () => {
    const last = { ...gap(), remainingDays: 1, neededPerRemainingDayCents: 29_000_000 };
    expect(quotaGapText(last, fmt())).toContain("To reach 100 %: $290,000 today, the last business day.");
    expect(quotaGapText(last, fmt("de"))).toMatch(/Für 100 %: 290\.000\s\$ heute, am letzten Arbeitstag\./);
    expect(quotaGapText({ ...gap(), remainingDays: 2 }, fmt())).toContain("per remaining business day (2 left)");
  });

  it("manager digest: one rep, no key account, one day, one more — no “(s)”", () => {
    const view: ManagerDigestView = {
      weekOf: "2026-11-02",
      repsBehind: [{ userId: 1, slackUserId: "UNY", name: "Nora", gap: gap() }],
      keyAccounts: { rows: [], restCount: 0 },
      slippingDeals: { rows: [], restCount: 0 },
      departed: [],
    };
    expect(managerDigestMessage(view, fmt()).text).toBe("Your team this week — Mon, Nov 2: 1 rep behind pace, no key account without a touch");
    expect(managerDigestMessage(view, fmt("de")).text).toBe("Dein Team diese Woche — Mo., 2. Nov.: 1 Rep hinter dem Plan, kein Key-Account ohne Kontakt");
    const withAccounts: ManagerDigestView = {
      ...view,
      repsBehind: [],
      keyAccounts: { rows: [{ ...row(1), ownerSlackUserId: "UNY", ownerName: "Nora" }], restCount: 1 },
    };
    const en = managerDigestMessage(withAccounts, fmt());
    expect(en.text).toContain("no rep behind pace, 2 key accounts without a touch");
    expect(blocksAsText(en)).toContain("· 1 day without a touch");
    expect(blocksAsText(en)).toContain("…and 1 more key account.");
    expect(blocksAsText(managerDigestMessage(withAccounts, fmt("de")))).toContain("…und 1 weiterer Key-Account.");
  });
});

describe("period names in German", () => {
  it("the German digest names the quarter in German", () => {
    const view: ReminderView = { localDate: "2026-11-02", neglected: { rows: [], restCount: 0 }, quotaGap: gap(), followUps: { rows: [], restCount: 0 }, deals: { rows: [], restCount: 0 } };
    expect(blocksAsText(reminderMessage(view, fmt("de")))).toContain("*Quota: hinter dem Plan* — Q4 GJ2026");
    expect(blocksAsText(reminderMessage(view, fmt("en")))).toContain("*Quota: behind pace* — Q4 FY2026");
  });

  it("the German Home tab names a month and a quarter in German", () => {
    for (const [type, expected] of [["month", "Quota — Dezember 2026"], ["quarter", "Quota — Q4 GJ2026"]] as const) {
      const period = periodForLocalDate(type, "2026-12-10", "America/New_York", 1);
      const home: HomeView = {
        reminder: { localDate: "2026-11-02", neglected: { rows: [], restCount: 0 }, quotaGap: null, followUps: { rows: [], restCount: 0 }, deals: { rows: [], restCount: 0 } },
        quota: { period, hasQuota: false, wonCents: 0, progress: quotaProgress({ quotaCents: null, wonCents: 0, period, now: NOW, zone: "America/New_York", paceMode: "business" }) },
        schedule: { zone: "America/New_York", time: "09:00", days: new Set([1]), skipDates: new Set(), paused: false, inactive: false },
        nextReminder: null,
      };
      const text = JSON.stringify(homeView(home, fmt("de"), NOW).blocks);
      expect(text).toContain(expected);
      expect(text).toContain(type === "month" ? "Für Dezember 2026 ist keine Quota gesetzt" : "Für Q4 GJ2026 ist keine Quota gesetzt");
    }
  });
});
