import { afterAll, beforeAll, expect, it } from "vitest";
import { seedTeam } from "../support/deals-fixtures.js";
import { describeEachProvider } from "../support/providers.js";
import { blockActionsPayload, interactionBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { DEAL_MODAL, VIEWS } from "../../src/slack/ids.js";
import type { User } from "../../src/db/repositories/user-repository.js";

// Mon Feb 16 2026, 12:00 in New York.
const NOW = new Date("2026-02-16T17:00:00Z");

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (reply: Record<string, unknown>): Button[] =>
  ((reply.blocks ?? []) as { type: string; elements?: Button[] }[]).filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);

describeEachProvider("forecast categories on /ae deal: forecast: when opening, and changing an open deal [%s]", (provider) => {
  let t: TestApp;
  let alice: User;
  let mia: User;

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/New_York", locale: "en-US" },
        { id: "UBOB", real_name: "Bob Brown", tz: "America/New_York", locale: "en-US" },
        { id: "UMIA", real_name: "Mia Manager", tz: "America/New_York", locale: "en-US" },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
      ],
      roles: { UMIA: "manager" },
    });
    t = seeded;
    ({ UALICE: alice, UMIA: mia } = seeded.users);
    const accounts = t.services.repos.accounts;
    for (const name of ["Acme Corp", "Globex", "Initech"]) await accounts.create({ workspaceId: seeded.ws.id, ownerId: alice.id, name });
    await accounts.create({ workspaceId: seeded.ws.id, ownerId: seeded.users.UBERND.id, name: "Müller GmbH" });
    await seedTeam(t.database.db, seeded.ws, mia, [alice]);
  });
  afterAll(async () => t?.close());

  const dealRow = (id: number) => t.database.db.prisma.deal.findUniqueOrThrow({ where: { id } });
  const lastDeal = async () => (await t.database.db.prisma.deal.findMany({ orderBy: { id: "desc" }, take: 1 }))[0]!;
  const expectRefused = (reply: Record<string, unknown>, problem: string) => {
    const text = textOf(reply);
    expect(text).toContain(problem);
    expect(text).toContain("Example:");
    expect(text).toContain("Nothing was changed.");
  };

  it("opens a deal with forecast:commit; without one the stage implies it (never commit)", async () => {
    const { reply } = await t.command('deal "Acme Corp" 40k stage:negotiation close:2026-03-20 forecast:commit', "UALICE");
    const committed = await lastDeal();
    expect(committed).toMatchObject({ stage: "negotiation", forecastCategory: "commit", amountCents: 4_000_000n });
    expect(textOf(reply)).toContain(`#${committed.id} · $40,000 · negotiation · commit · closes Mar 20, 2026`);
    // The account page shows it too.
    expect(textOf((await t.command('account "Acme Corp"', "UALICE")).reply)).toContain(`• #${committed.id} · $40,000 · Negotiation · commit · closes Mar 20, 2026`);

    await t.command("deal Globex 25k stage:proposal", "UALICE");
    const implied = await lastDeal();
    expect(implied.forecastCategory).toBeNull();
    // "best case" in the summary: implied by the proposal stage.
    expect(textOf((await t.command(`deal ${implied.id} stage:proposal`, "UALICE")).reply)).toContain("already has that: #" + implied.id + " · $25,000 · proposal · best case");
  });

  it.each([
    ["deal Initech 10k forecast:maybe", "“maybe” isn't a forecast category. Use commit, best_case or pipeline"],
    // An empty option is a word, so the last word is no amount.
    ["deal Initech 10k forecast:", "“forecast:” isn't an amount"],
    ["deal Initech 10k stage:closing", "“closing” isn't a stage"],
  ])("refuses %s with an example, opening nothing", async (command, problem) => {
    const before = await t.database.db.prisma.deal.count();
    const { reply } = await t.command(command, "UALICE");
    expect(textOf(reply)).toContain(problem);
    expect(textOf(reply)).toContain("Nothing was changed.");
    expect(await t.database.db.prisma.deal.count()).toBe(before);
  });

  it("changes an open deal's category, stage and close date by number, in one command, recording the stage change", async () => {
    const d = await lastDeal(); // Globex, proposal, implied best case
    const { reply } = await t.command(`deal ${d.id} forecast:commit stage:negotiation close:2026-03-31`, "UALICE");
    expect(textOf(reply)).toContain(
      `Deal #${d.id} on *Globex*: stage proposal → negotiation; close date Mar 31, 2026; forecast best case (from its stage) → commit.`,
    );
    expect(await dealRow(d.id)).toMatchObject({ forecastCategory: "commit", stage: "negotiation", expectedCloseAt: new Date("2026-03-31T04:00:00Z") });
    const history = await t.database.db.prisma.dealStageChange.findMany({ where: { dealId: d.id }, orderBy: { id: "asc" }, select: { fromStage: true, toStage: true, byUserId: true } });
    expect(history.at(-1)).toEqual({ fromStage: "proposal", toStage: "negotiation", byUserId: alice.id });

    // best case / bestcase / "best case" all mean best case; auto hands it back to the stage.
    expect(textOf((await t.command(`deal #${d.id} forecast:"best case"`, "UALICE")).reply)).toContain("forecast commit → best case");
    expect((await dealRow(d.id)).forecastCategory).toBe("best_case");
    expect(textOf((await t.command(`deal ${d.id} forecast:auto`, "UALICE")).reply)).toContain("forecast best case → best case (from its stage)");
    expect((await dealRow(d.id)).forecastCategory).toBeNull();
  });

  it("changes the one open deal of an account named unquoted, and asks which one when there are several", async () => {
    const acme = (await t.database.db.prisma.deal.findFirstOrThrow({ where: { title: null, amountCents: 4_000_000n } })).id;
    expect(textOf((await t.command("deal Acme Corp forecast:pipeline", "UALICE")).reply)).toContain(`Deal #${acme} on *Acme Corp*: forecast commit → pipeline.`);
    expect((await dealRow(acme)).forecastCategory).toBe("pipeline");

    await t.command("deal Acme Corp 5k", "UALICE");
    const { reply } = await t.command("deal acme forecast:commit", "UALICE");
    expect(textOf(reply)).toContain("*Acme Corp* has 2 open deals. Which one?");
    expect((await dealRow(acme)).forecastCategory).toBe("pipeline"); // nothing guessed
    const pick = buttonsOf(reply).find((b) => b.text.text.startsWith(`#${acme} `))!;
    expect(JSON.parse(pick.value)).toEqual({ text: `deal #${acme} forecast:commit` });
    const http = await t.post(interactionBody(blockActionsPayload({ userId: "UALICE", actionId: pick.action_id, value: pick.value, responseUrl: t.fake.responseUrl("pick"), isEphemeral: true })));
    expect(http.status).toBe(200);
    const answer = await t.fake.waitForResponse((r) => r.id === "pick");
    expect(textOf(answer.body)).toContain("forecast pipeline → commit");
    expect((await dealRow(acme)).forecastCategory).toBe("commit");
  });

  it("refuses bad categories and stages on an existing deal, and a closed or someone else's deal, changing nothing", async () => {
    const d = await lastDeal();
    const before = await dealRow(d.id);
    expectRefused((await t.command(`deal ${d.id} forecast:maybe`, "UALICE")).reply, "“maybe” isn't a forecast category");
    expectRefused((await t.command(`deal ${d.id} forecast:commit stage:closing`, "UALICE")).reply, "“closing” isn't a stage");
    expectRefused((await t.command(`deal ${d.id} close:2026-01-02 forecast:commit`, "UALICE")).reply, "is in the past");
    expectRefused((await t.command(`deal ${d.id} owner:me`, "UALICE")).reply, "I don't know the option `owner:`");
    expect(await dealRow(d.id)).toEqual(before);
    expect(textOf((await t.command(`deal ${d.id} forecast:commit`, "UBOB")).reply)).toContain("belongs to another rep");
    expect(textOf((await t.command("deal 999999 forecast:commit", "UALICE")).reply)).toContain("There's no deal #999999");
    await t.command(`won ${d.id}`, "UALICE");
    expect(textOf((await t.command(`deal ${d.id} forecast:pipeline`, "UALICE")).reply)).toContain("is already won");
    expect((await dealRow(d.id)).forecastCategory).toBe(before.forecastCategory);
  });

  it("lets a manager make the call on their rep's deal, and takes German words", async () => {
    const acme = (await t.database.db.prisma.deal.findFirstOrThrow({ where: { amountCents: 4_000_000n } })).id;
    expect(textOf((await t.command(`deal ${acme} forecast:best_case`, "UMIA")).reply)).toContain("forecast commit → best case");
    await t.command('deal "Müller GmbH" 30.000 stage:angebot prognose:zusage', "UBERND");
    const bernd = await lastDeal();
    expect(bernd).toMatchObject({ stage: "proposal", forecastCategory: "commit", amountCents: 3_000_000n });
    const { reply } = await t.command(`deal ${bernd.id} stage:verhandlung forecast:"bester Fall"`, "UBERND");
    expect(textOf(reply)).toContain("Phase Angebot → Verhandlung; Prognose Zusage → bester Fall");
    expect(textOf((await t.command(`deal ${bernd.id} forecast:vielleicht`, "UBERND")).reply)).toContain("„vielleicht“ ist keine Prognosekategorie");
  });

  it("the deal form has the forecast category (from the stage by default) and refuses a forged one", async () => {
    const values = (forecast: string) => ({
      [DEAL_MODAL.accountBlock]: { [DEAL_MODAL.accountInput]: stateValue.plainText("Initech") },
      [DEAL_MODAL.amountBlock]: { [DEAL_MODAL.amountInput]: stateValue.plainText("12k") },
      [DEAL_MODAL.stageBlock]: { [DEAL_MODAL.stageInput]: stateValue.staticSelect("qualified") },
      [DEAL_MODAL.closeBlock]: { [DEAL_MODAL.closeInput]: stateValue.datepicker(null) },
      [DEAL_MODAL.forecastBlock]: { [DEAL_MODAL.forecastInput]: stateValue.staticSelect(forecast) },
    });
    const before = await t.database.db.prisma.deal.count();
    const forged = await t.post(interactionBody(viewSubmissionPayload({ userId: "UALICE", callbackId: VIEWS.deal, values: values("sure-thing") })));
    expect((forged.json as { errors: Record<string, string> }).errors[DEAL_MODAL.forecastBlock]).toContain("isn't a forecast category");
    expect(await t.database.db.prisma.deal.count()).toBe(before);
    const ok = await t.post(interactionBody(viewSubmissionPayload({ userId: "UALICE", callbackId: VIEWS.deal, values: values("commit") })));
    expect([ok.status, ok.text]).toEqual([200, ""]);
    expect(await lastDeal()).toMatchObject({ stage: "qualified", forecastCategory: "commit", amountCents: 1_200_000n });
  });
});
