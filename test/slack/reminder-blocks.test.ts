import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { DigestView, FollowUpRow, ManagerDigestView, NeglectedRow } from "../../src/domain/digest.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { quotaProgress } from "../../src/domain/quota.js";
import { translator, type Language } from "../../src/i18n/translate.js";
import type { HomeView } from "../../src/services/digest-service.js";
import { blocksAsText, digestMessage, markRowDone, MAX_MESSAGE_BLOCKS } from "../../src/slack/blocks/digest-blocks.js";
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
    periodLabel: period.label,
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

function bigView(followUps = 40): DigestView {
  return {
    localDate: "2026-11-02",
    neglected: { rows: [1, 2, 3, 4, 5].map(neglected), restCount: 12 },
    quotaGap: gap(),
    followUps: { rows: Array.from({ length: followUps }, (_, i) => followUp(i)), restCount: 3 },
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
    const m = digestMessage(bigView(), fmt(language));
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    const text = blocksAsText(m);
    // The follow-ups that did not fit are counted, not dropped silently.
    expect(text).toMatch(language === "en" ? /and \d+ more\. `\/ae followups`/ : /und \d+ weitere\. `\/ae followups`/);
    expect(text).not.toContain("<Sons>");
    expect(text).toContain("&lt;Sons&gt;");
  });

  it("shows each section only when it has something, with the buttons of each row", () => {
    const view: DigestView = { localDate: "2026-11-02", neglected: { rows: [neglected(1)], restCount: 0 }, quotaGap: null, followUps: { rows: [], restCount: 0 } };
    const m = digestMessage(view, fmt());
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

  it("quota gap says how far behind, the need per remaining business day and the projected finish", () => {
    const view: DigestView = { localDate: "2026-11-02", neglected: { rows: [], restCount: 0 }, quotaGap: gap(), followUps: { rows: [], restCount: 0 } };
    const text = blocksAsText(digestMessage(view, fmt()));
    expect(text).toMatch(/You're at \$10,000 of \$300,000 \(3%\)\. Linear pace today is \$[\d,]+, so you're \*\$[\d,]+ behind\*/);
    expect(text).toMatch(/per remaining business day \(\d+ left\)/);
    expect(text).toMatch(/you'll finish at \$[\d,]+ \(\d+%\)/);
  });

  it("markRowDone replaces one row and its buttons, leaving the others", () => {
    const m = digestMessage(bigView(2), fmt());
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
    };
    const m = managerDigestMessage(view, fmt());
    checkLimits(m.blocks ?? [], MAX_MESSAGE_BLOCKS);
    const text = blocksAsText(m);
    expect(text).toContain("<@UNY>");
    expect(text).toContain("*Acme* (<@UNY>)");
    expect(text).toContain("and 2 more key accounts");
  });
});

describe("Home tab", () => {
  it.each<Language>(["en", "de"])("stays within 100 blocks with many rows [%s]", (language) => {
    const period = periodForLocalDate("quarter", "2026-11-02", "America/New_York", 1);
    const home: HomeView = {
      digest: { ...bigView(60), neglected: { rows: Array.from({ length: 10 }, (_, i) => neglected(i + 1)), restCount: 5 } },
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
