import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { blockActionsPayload, interactionBody } from "../support/slack-requests.js";
import { ACTIONS } from "../../src/slack/ids.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";

const NOW = new Date("2026-02-16T17:00:00Z");
type Json = Record<string, unknown>;

describeEachProvider("/ae reassign: confirm by button, both people told, through Bolt [%s]", (provider) => {
  let t: TestApp;
  let ws: Workspace;
  let users: Record<string, User>;

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UDANA", real_name: "Dana Diaz", locale: "en-US" },
        { id: "ULEE", real_name: "Lee Lang", tz: "Europe/Berlin", locale: "de-DE" },
        { id: "UOUT", real_name: "Otto Outside", locale: "en-US" },
        { id: "UMGR", real_name: "Mia Manager", locale: "en-US" },
      ],
      roles: { UMGR: "manager" },
    });
    t = seeded;
    ({ ws, users } = seeded);
    const p = t.database.db.prisma;
    const team = await p.team.create({ data: { workspaceId: ws.id, name: "East", nameKey: "east", managerId: users.UMGR!.id } });
    for (const u of ["UDANA", "ULEE"]) await p.teamMember.create({ data: { teamId: team.id, userId: users[u]!.id } });
    const dana = users.UDANA!;
    for (const name of ["Acme", "Beta"]) {
      const account = await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: dana.id, name });
      await p.deal.create({ data: { accountId: account.id, ownerId: dana.id, amountCents: 10_000_00n } });
      await p.followUp.create({ data: { accountId: account.id, userId: dana.id, title: `Call ${name}`, dueAt: NOW } });
      await p.touch.create({ data: { accountId: account.id, userId: dana.id, kind: "call", occurredAt: NOW } });
    }
    const acme = await p.account.findFirstOrThrow({ where: { name: "Acme" } });
    await p.deal.create({ data: { accountId: acme.id, ownerId: dana.id, amountCents: 50_000_00n, status: "won", stage: "won", wonAt: NOW } });
  });
  afterAll(async () => t?.close());

  const owners = async () => {
    const p = t.database.db.prisma;
    return {
      accounts: (await p.account.findMany({ select: { ownerId: true } })).map((a) => a.ownerId),
      openDeals: (await p.deal.findMany({ where: { status: "open" }, select: { ownerId: true } })).map((d) => d.ownerId),
      wonDeals: (await p.deal.findMany({ where: { status: "won" }, select: { ownerId: true } })).map((d) => d.ownerId),
      followUps: (await p.followUp.findMany({ select: { userId: true } })).map((f) => f.userId),
      touches: (await p.touch.findMany({ select: { userId: true } })).map((x) => x.userId),
    };
  };

  async function click(user: string, actionId: string, value: string): Promise<Json> {
    const id = randomBytes(6).toString("hex");
    const http = await t.post(interactionBody(blockActionsPayload({ userId: user, actionId, value, isEphemeral: true, responseUrl: t.fake.responseUrl(id) })));
    expect(http.status).toBe(200);
    return (await t.fake.waitForResponse((r) => r.id === id, 10_000)).body as Json;
  }

  function buttonValue(reply: Json, actionId: string): string {
    const blocks = (reply.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
    if (!button?.value) throw new Error(`no ${actionId} button in ${JSON.stringify(reply)}`);
    return button.value;
  }

  it.each([
    ["a rep", "reassign <@UDANA|dana> <@ULEE|lee>", "UDANA", "Only managers and admins can do that."],
    ["the same person twice", "reassign <@UDANA|dana> <@UDANA|dana>", "UMGR", "the same person twice"],
    ["someone outside the manager's team", "reassign <@UDANA|dana> <@UOUT|otto>", "UMGR", "outside the teams you manage"],
    ["an unknown person", "reassign <@UDANA|dana> <@UGHOST|ghost>", "UMGR", "I don't know <@UGHOST> here yet"],
    ["one person only", "reassign <@UDANA|dana>", "UMGR", "Name who hands over and who takes over"],
    ["an unknown scope", "reassign <@UDANA|dana> <@ULEE|lee> everything", "UMGR", "“everything” is not something I can hand over"],
  ])("refuses %s with a clear error and changes nothing", async (_name, command, user, problem) => {
    const before = await owners();
    const text = textOf((await t.command(command, user)).reply);
    expect(text).toContain(problem);
    expect(text).toContain("Nothing was changed.");
    expect(await owners()).toEqual(before);
  });

  it("Cancel moves nothing", async () => {
    const before = await owners();
    const { reply } = await t.command("reassign <@UDANA|dana> <@ULEE|lee>", "UMGR");
    const answer = await click("UMGR", ACTIONS.reassignCancel, buttonValue(reply, ACTIONS.reassignCancel));
    expect(textOf(answer)).toContain("Cancelled. Nothing was moved.");
    expect(answer.replace_original).toBe(true);
    expect(await owners()).toEqual(before);
  });

  it("a manager's confirmed reassignment moves the book, keeps touches and won deals, and tells both people in their language", async () => {
    const dana = users.UDANA!.id;
    const lee = users.ULEE!.id;
    const { reply } = await t.command("reassign <@UDANA|dana> <@ULEE|lee>", "UMGR");
    const text = textOf(reply);
    expect(text).toContain("*Hand over from <@UDANA> to <@ULEE>?*");
    expect(text).toContain("This moves 2 accounts, 2 open follow-ups, 2 open deals.");
    expect(text).toContain("Scope `all`");
    // Nothing has moved yet.
    expect((await owners()).accounts).toEqual([dana, dana]);

    const answer = await click("UMGR", ACTIONS.reassignConfirm, buttonValue(reply, ACTIONS.reassignConfirm));
    expect(textOf(answer)).toContain("Handed over from <@UDANA> to <@ULEE>: 2 accounts, 2 open follow-ups, 2 open deals.");
    expect(await owners()).toEqual({ accounts: [lee, lee], openDeals: [lee, lee], wonDeals: [dana], followUps: [lee, lee], touches: [dana, dana] });

    const dmTo = async (needle: string) => t.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes(needle), 10_000);
    await dmTo("<@UMGR> handed your book to <@ULEE>: 2 accounts, 2 open follow-ups, 2 open deals.");
    await dmTo("<@UMGR> hat dir die Kunden von <@UDANA> übergeben: 2 Kunden, 2 offene Wiedervorlagen, 2 offene Deals.");
    await expect
      .poll(async () => (await t.database.db.prisma.outbox.findMany({ where: { kind: "handover" }, orderBy: { recipient: "asc" } })).map((r) => [r.recipient, r.status]))
      .toEqual([["UDANA", "sent"], ["ULEE", "sent"]]);

    // The same confirmation clicked again moves nothing more: Dana has nothing left.
    const again = await click("UMGR", ACTIONS.reassignConfirm, buttonValue(reply, ACTIONS.reassignConfirm));
    expect(textOf(again)).toContain("Something changed since this was shown, so nothing was moved.");
    expect(textOf(again)).toContain("<@UDANA> has nothing to hand over");
    const rogue = await click("UMGR", ACTIONS.reassignConfirm, JSON.stringify({ from: 1, to: 2, scope: "all", fp: "nothex" }));
    expect(textOf(rogue)).toContain("That button is not valid any more.");
  });
});
