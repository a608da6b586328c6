import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { KnownBlock } from "@slack/types";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, type SeededApp } from "../support/e2e-harness.js";
import { blockActionsPayload, interactionBody } from "../support/slack-requests.js";
import { ACTIONS } from "../../src/slack/ids.js";

const NOW = new Date("2026-12-08T15:00:00Z"); // Tuesday 10:00 in New York
type Json = Record<string, unknown>;

describeEachProvider("/ae history: who changed what on an account, through Bolt [%s]", (provider) => {
  let t: SeededApp<"UDANA" | "UMIA" | "UOLI" | "UADA">;
  let acmeId: number;

  beforeAll(async () => {
    t = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UDANA", real_name: "Dana Diaz", locale: "en-US" },
        { id: "UMIA", real_name: "Mia Manager", locale: "de-DE" },
        { id: "UOLI", real_name: "Oli Other", locale: "en-US" },
        { id: "UADA", real_name: "Ada Admin", locale: "en-US", is_admin: true },
      ],
      roles: { UMIA: "manager" },
    });
    const p = t.database.db.prisma;
    const team = await p.team.create({ data: { workspaceId: t.ws.id, name: "East", nameKey: "east", managerId: t.users.UMIA.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: t.users.UDANA.id } });
    expect(textOf((await t.command('account add "Acme Corp" tier:growth value:120k', "UDANA")).reply)).toContain("Acme Corp");
    acmeId = (await p.account.findFirstOrThrow({ where: { name: "Acme Corp" } })).id;
    expect(textOf((await t.command('deal "Acme Corp" 50k stage:proposal', "UDANA")).reply)).toContain("#");
    const deal = await p.deal.findFirstOrThrow({ where: { accountId: acmeId } });
    expect(textOf((await t.command(`won ${deal.id} 55k`, "UDANA")).reply)).toContain("55,000");
  });
  afterAll(async () => t?.close());

  it("shows the owner the changes newest first: who, when, what, before → after", async () => {
    const { reply } = await t.command('history "Acme Corp"', "UDANA");
    const text = textOf(reply);
    expect(text).toContain("*History of Acme Corp* — newest first");
    const deal = await t.database.db.prisma.deal.findFirstOrThrow({ where: { accountId: acmeId } });
    // The win: stage, status and amount changed, by Dana, at the frozen clock in her zone.
    expect(text).toMatch(new RegExp(`\\*Dec 8, 2026, 10:00 AM\\* · <@UDANA> changed deal #${deal.id}`));
    expect(text).toContain("amount: $50,000 → $55,000");
    expect(text).toContain("stage: “proposal” → “won”");
    expect(text).toContain(`<@UDANA> created deal #${deal.id}`);
    expect(text).toContain("<@UDANA> created the account");
    expect(text).toContain("annual value: $120,000");
    expect(text).toContain("owner: <@UDANA>");
    // Newest first: the win above the deal's creation above the account's.
    expect(text.indexOf("changed deal")).toBeLessThan(text.indexOf("created deal"));
    expect(text.indexOf("created deal")).toBeLessThan(text.indexOf("created the account"));
  });

  it("shows the owner's manager (in German) and an admin; refuses anyone else with the reason", async () => {
    expect(textOf((await t.command("history #" + acmeId, "UMIA")).reply)).toContain("*Verlauf von Acme Corp* — neueste zuerst");
    expect(textOf((await t.command("history #" + acmeId, "UMIA")).reply)).toContain("hat Deal #");
    expect(textOf((await t.command('history "Acme Corp"', "UADA")).reply)).toContain("*History of Acme Corp*");
    const refused = textOf((await t.command("history #" + acmeId, "UOLI")).reply);
    expect(refused).toContain("That belongs to another rep");
    expect(refused).toContain("Nothing was changed.");
  });

  it("asks which account when none is named, with an example", async () => {
    const text = textOf((await t.command("history", "UDANA")).reply);
    expect(text).toContain("Which account?");
    expect(text).toContain('/ae history "Acme Corp"');
  });

  it("pages within Slack's limits: More shows the older changes", async () => {
    const p = t.database.db.prisma;
    // 12 more recorded changes, as if made in Slack by the owner: 15 in all.
    const deal = await p.deal.findFirstOrThrow({ where: { accountId: acmeId } });
    for (let i = 0; i < 12; i++) await t.services.audit.runAs({ kind: "slack", userId: t.users.UDANA.id }, () => p.deal.update({ where: { id: deal.id }, data: { title: `Renewal v${i}` } }));
    const first = (await t.command('history "Acme Corp"', "UDANA")).reply;
    const blocks = first.blocks as KnownBlock[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(first)).toContain("Changes 1–10");
    expect(textOf(first)).toContain("title: “Renewal v10” → “Renewal v11”");
    const more = blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).find((e) => "action_id" in e && e.action_id === ACTIONS.moreResults);
    expect(more && "value" in more ? more.value : undefined).toBeTruthy();
    const id = randomBytes(6).toString("hex");
    const value = more && "value" in more ? String(more.value) : "";
    const http = await t.post(interactionBody(blockActionsPayload({ userId: "UDANA", actionId: ACTIONS.moreResults, value, isEphemeral: true, responseUrl: t.fake.responseUrl(id) })));
    expect(http.status).toBe(200);
    const second = (await t.fake.waitForResponse((r) => r.id === id, 10_000)).body as Json;
    expect(textOf(second)).toContain("Changes 11–");
    expect(textOf(second)).toContain("title: “Renewal v0” → “Renewal v1”");
    expect(textOf(second)).not.toContain("Renewal v10");
  });
});
