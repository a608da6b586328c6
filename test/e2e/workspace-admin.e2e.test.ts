import type { View } from "@slack/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { ADMIN_MODAL, VIEWS } from "../../src/slack/ids.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { interactionBody, newTriggerId, slashCommandBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";
import { describeEachProvider } from "../support/providers.js";

// Monday 2027-05-10, 12:00 in Berlin. The quarter April–June 2027 has 65 weekdays; 27 of them
// (April's 22 and May 3–7) are over. Bavaria's public holidays on weekdays in that quarter are
// Ascension (Thu May 6), Whit Monday (May 17) and Corpus Christi (Thu May 27); May 1 is a Saturday.
// With them: 62 business days, 26 over, 36 left (today included).
const NOW = new Date("2027-05-10T10:00:00Z");

type Values = Record<string, Record<string, unknown>>;

function adminValues(v: {
  currency: string;
  confirm?: boolean;
  fiscalStart: string;
  timezone: string;
  pace: string;
  key: string;
  growth: string;
  standard: string;
  giftLimit: string;
  giftYear: string;
  stall?: string;
  closeSoon?: string;
  noTouch?: string;
  /** prospect, qualified, proposal, negotiation; left out = the form had no such fields (opened before they existed). */
  probabilities?: [string, string, string, string];
}): Values {
  return {
    [ADMIN_MODAL.currency]: { [ADMIN_MODAL.currency]: stateValue.plainText(v.currency) },
    [ADMIN_MODAL.currencyConfirm]: { [ADMIN_MODAL.currencyConfirm]: stateValue.checkboxes(v.confirm ? ["confirm"] : []) },
    [ADMIN_MODAL.fiscalStart]: { [ADMIN_MODAL.fiscalStart]: stateValue.staticSelect(v.fiscalStart) },
    [ADMIN_MODAL.timezone]: { [ADMIN_MODAL.timezone]: stateValue.plainText(v.timezone) },
    [ADMIN_MODAL.pace]: { [ADMIN_MODAL.pace]: stateValue.staticSelect(v.pace) },
    [ADMIN_MODAL.neglectKey]: { [ADMIN_MODAL.neglectKey]: stateValue.plainText(v.key) },
    [ADMIN_MODAL.neglectGrowth]: { [ADMIN_MODAL.neglectGrowth]: stateValue.plainText(v.growth) },
    [ADMIN_MODAL.neglectStandard]: { [ADMIN_MODAL.neglectStandard]: stateValue.plainText(v.standard) },
    [ADMIN_MODAL.giftLimit]: { [ADMIN_MODAL.giftLimit]: stateValue.plainText(v.giftLimit) },
    [ADMIN_MODAL.giftYear]: { [ADMIN_MODAL.giftYear]: stateValue.staticSelect(v.giftYear) },
    [ADMIN_MODAL.dealStall]: { [ADMIN_MODAL.dealStall]: stateValue.plainText(v.stall ?? "30") },
    [ADMIN_MODAL.dealCloseSoon]: { [ADMIN_MODAL.dealCloseSoon]: stateValue.plainText(v.closeSoon ?? "7") },
    [ADMIN_MODAL.dealNoTouch]: { [ADMIN_MODAL.dealNoTouch]: stateValue.plainText(v.noTouch ?? "7") },
    ...(v.probabilities
      ? Object.fromEntries(
          (["prospect", "qualified", "proposal", "negotiation"] as const).map((stage, i) => [
            ADMIN_MODAL.stageProbability[stage],
            { [ADMIN_MODAL.stageProbability[stage]]: stateValue.plainText(v.probabilities![i]!) },
          ]),
        )
      : {}),
  };
}

/** Every block id of the form, in order (the probabilities are grouped under one key). */
const FORM_BLOCKS = Object.values(ADMIN_MODAL).flatMap((id) => (typeof id === "string" ? [id] : Object.values(id)));

const DEFAULTS = { currency: "USD", fiscalStart: "1", timezone: "America/New_York", pace: "business", key: "7", growth: "14", standard: "30", giftLimit: "", giftYear: "calendar" };

describeEachProvider("/ae admin: workspace settings through Bolt [%s]", (provider) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UADMIN", real_name: "Ada Admin", locale: "en-US", is_admin: true },
        { id: "UREP", real_name: "Rita Rep", tz: "Europe/Berlin", locale: "en-US" },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
      ],
    });
  });
  afterAll(async () => t?.close());

  const workspace = (): Promise<Workspace> => t!.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });

  async function open(user: string): Promise<View> {
    const triggerId = newTriggerId();
    const http = await t!.post(slashCommandBody({ text: "admin", userId: user, triggerId, responseUrl: t!.fake.responseUrl(`admin-${triggerId}`) }));
    expect(http.status).toBe(200);
    const call = await t!.fake.waitFor("views.open", (c) => c.body.trigger_id === triggerId, 10_000);
    expect(call.response?.ok).toBe(true);
    return call.body.view as View;
  }

  async function submit(user: string, values: Values): Promise<{ response_action?: string; errors?: Record<string, string> } | null> {
    const http = await t!.post(interactionBody(viewSubmissionPayload({ callbackId: VIEWS.admin, userId: user, values })));
    expect(http.status).toBe(200);
    return http.text ? (JSON.parse(http.text) as { response_action?: string; errors?: Record<string, string> }) : null;
  }

  it("refuses a rep, by command and by a forged submission, and changes nothing", async () => {
    const before = await workspace();
    const { reply } = await t.command("admin", "UREP");
    expect(textOf(reply)).toContain("Only admins can do that.");
    expect(textOf(reply)).toContain("Nothing was changed.");
    const forged = await submit("UREP", adminValues({ ...DEFAULTS, currency: "EUR" }));
    expect(forged?.response_action).toBe("errors");
    expect(Object.values(forged?.errors ?? {}).join(" ")).toContain("Only admins can do that.");
    expect(await workspace()).toEqual(before);
  });

  it("opens the modal filled with the current settings", async () => {
    const view = await open("UADMIN");
    expect(view.type).toBe("modal");
    const json = JSON.stringify(view);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(FORM_BLOCKS);
    expect(json).toContain('"initial_value":"USD"');
    expect(json).toContain('"initial_value":"America/New_York"');
    expect(json).toContain('"initial_value":"30"');
    expect(json).toContain("Probability that a negotiation deal closes (%)");
    expect(json).toContain('"initial_value":"75"');
  });

  it("shows every bad field with an example, keeps the modal open and saves nothing", async () => {
    const before = await workspace();
    const ack = await submit("UADMIN", adminValues({ ...DEFAULTS, currency: "EURO", timezone: "Berlin", fiscalStart: "13", key: "-1", growth: "abc", giftLimit: "lots", stall: "a month", closeSoon: "0", probabilities: ["10", "110", "half", "75"] }));
    expect(ack?.response_action).toBe("errors");
    expect(ack?.errors).toEqual({
      [ADMIN_MODAL.currency]: "“EURO” is not a currency code I know. Use an ISO 4217 code, e.g. EUR.",
      [ADMIN_MODAL.timezone]: "“Berlin” is not an IANA time zone. For example: Europe/Berlin.",
      [ADMIN_MODAL.fiscalStart]: "Pick the month the fiscal year starts in, e.g. 4 for April.",
      [ADMIN_MODAL.neglectKey]: "“-1” is not a whole number of days from 1 to 365. For example: 7.",
      [ADMIN_MODAL.neglectGrowth]: "“abc” is not a whole number of days from 1 to 365. For example: 14.",
      [ADMIN_MODAL.giftLimit]: "“lots” is not a positive amount. For example 100, or leave it empty.",
      [ADMIN_MODAL.dealStall]: "“a month” is not a whole number of days from 1 to 365. For example: 30.",
      [ADMIN_MODAL.dealCloseSoon]: "“0” is not a whole number of days from 1 to 90. For example: 7.",
      [ADMIN_MODAL.stageProbability.qualified]: "“110” is not a whole percent from 0 to 100. For example: 25.",
      [ADMIN_MODAL.stageProbability.proposal]: "“half” is not a whole percent from 0 to 100. For example: 50.",
    });
    expect(await workspace()).toEqual(before);
  });

  it("lets an admin change every setting, confirms by DM and refreshes their Home tab with the Administration section", async () => {
    const publishes = t.fake.callsTo("views.publish").length;
    const ack = await submit(
      "UADMIN",
      adminValues({ currency: "eur", fiscalStart: "4", timezone: "europe/berlin", pace: "calendar", key: "5", growth: "10", standard: "20", giftLimit: "250", giftYear: "rolling", stall: "45", closeSoon: "10", noTouch: "5", probabilities: ["5", "20 %", "40", "80"] }),
    );
    expect(ack).toBeNull(); // closed
    expect(await workspace()).toMatchObject({
      currency: "EUR", fiscalYearStartMonth: 4, timezone: "Europe/Berlin", paceMode: "calendar",
      neglectKeyDays: 5, neglectGrowthDays: 10, neglectStandardDays: 20, giftLimitCents: 25_000n, giftYearMode: "rolling",
      dealStallDays: 45, dealCloseSoonDays: 10, dealNoTouchDays: 5,
      stageProbabilityProspect: 5, stageProbabilityQualified: 20, stageProbabilityProposal: 40, stageProbabilityNegotiation: 80,
    });
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "UADMIN" && String(c.body.text).includes("Workspace settings saved"), 10_000);
    expect(dm.body.text).toBe(
      ":white_check_mark: Workspace settings saved: currency, fiscal year start, time zone, pace, key account threshold, growth account threshold, standard account threshold, gift limit, gift year, deal stall threshold, deal close-soon window, deal no-touch threshold, prospect probability, qualified probability, proposal probability, negotiation probability. They apply from the next command, digest and leaderboard.",
    );
    await expect.poll(() => t!.fake.callsTo("views.publish").length).toBeGreaterThan(publishes);
    const home = JSON.stringify(t.fake.callsTo("views.publish").at(-1)?.body.view);
    expect(home).toContain("Administration");
    expect(home).toContain("*Currency* EUR · *Fiscal year* starts in April · *Zone* Europe/Berlin · *Pace* Calendar days");
    expect(home).toContain("*Gift limit* €250 (Rolling 12 months)");
    expect(home).toContain("*Deals need attention* when stalled over 45 d, or closing within 10 d with no touch for 5 d");
    expect(home).toContain("*Stage probabilities* prospect 5%, qualified 20%, proposal 40%, negotiation 80%");
  });

  it("asks before relabelling stored amounts when the currency changes, then saves once confirmed", async () => {
    expect(textOf((await t.command("quota set <@UREP|rita> 72k quarter", "UADMIN")).reply)).toContain("€72,000");
    const current = { currency: "EUR", fiscalStart: "4", timezone: "Europe/Berlin", pace: "calendar", key: "5", growth: "10", standard: "20", giftLimit: "250", giftYear: "rolling" };
    const asked = await submit("UADMIN", adminValues({ ...current, currency: "GBP" }));
    expect(asked?.errors?.[ADMIN_MODAL.currency]).toBe(
      "The workspace already holds 1 amount in EUR. Changing to GBP does not convert it: it keeps its number and is shown in GBP. Tick the box below to confirm.",
    );
    expect((await workspace()).currency).toBe("EUR");
    expect(await submit("UADMIN", adminValues({ ...current, currency: "GBP", confirm: true }))).toBeNull();
    expect((await workspace()).currency).toBe("GBP");
    expect(await submit("UADMIN", adminValues({ ...current, currency: "EUR", confirm: true, pace: "business" }))).toBeNull();
    expect(await t.database.db.prisma.quota.findFirstOrThrow()).toMatchObject({ amountCents: 7_200_000n });
    // A form opened before the stage probabilities existed (no such fields) leaves them as they were.
    expect(await workspace()).toMatchObject({ stageProbabilityProspect: 5, stageProbabilityProposal: 40 });
  });

  it("shows EUR the way each person writes numbers: €72,000 in en-US, 72.000 € in de-DE", async () => {
    const ws = await workspace();
    const bernd = await t.database.db.prisma.user.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: "UBERND" } });
    await t.database.db.prisma.quota.create({ data: { userId: bernd.id, periodType: "quarter", periodStart: "2027-04-01", amountCents: 7_200_000n } });
    expect(textOf((await t.command("quota", "UREP")).reply)).toContain("Quota: *€72,000*.");
    expect(textOf((await t.command("quota", "UBERND")).reply)).toMatch(/72\.000\s€/);
  });

  it("counts imported Bavarian holidays in the pace: needed per remaining business day goes from €1,421.06 to €1,500", async () => {
    const ws = await workspace();
    const rita = await t.database.db.prisma.user.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: "UREP" } });
    const account = await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: rita.id, name: "Müller Maschinenbau" });
    await t.database.db.prisma.deal.create({ data: { accountId: account.id, ownerId: rita.id, amountCents: 1_800_000n, status: "won", stage: "won", wonAt: new Date("2027-04-20T10:00:00Z") } });

    // 72,000 − 18,000 = 54,000 to go; 54,000 / 38 weekdays left = 1,421.0526…, rounded up to the
    // cent (following the figure must get you there): 1,421.06.
    const before = textOf((await t.command("quota", "UREP")).reply);
    expect(before).toContain("(27 of 65 business days done)");
    expect(before).toContain("Needed per remaining business day: *€1,421.06* (€54,000 to go over 38 business days");

    const out: string[] = [];
    const code = await runCli(["holidays", "import", "--country", "DE", "--region", "BY", "--year", "2027"], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { DATABASE_URL: t.database.url },
    });
    expect(code).toBe(0);
    expect(out[0]).toBe("Imported 12 of 12 holidays of DE-BY in 2027 (0 were already on file):");

    // 54,000 / 36 business days left = 1,500.
    const after = textOf((await t.command("quota", "UREP")).reply);
    expect(after).toContain("(26 of 62 business days done)");
    expect(after).toContain("Needed per remaining business day: *€1,500* (€54,000 to go over 36 business days");
  });
});
