import { expect, it } from "vitest";
import { CrmSyncJob } from "../../src/jobs/crm-sync-job.js";
import { createCrm } from "../../src/services/crm/create-crm-sync.js";
import { createServices, type Services } from "../../src/services/services.js";
import { toActor } from "../../src/services/actor-service.js";
import { OUTBOX_KIND } from "../../src/services/outbox-kinds.js";
import { describeEachProvider } from "../support/providers.js";
import { crmTestbed, silentLogger as silent, TEST_STAGES as STAGES } from "../support/crm.js";

/**
 * The DMs of the CRM sync, planned by the crm-sync job into the Slack outbox: the rep whose change
 * the CRM refused or overruled (in their language, once), the admins when the connection breaks
 * (once per breakage, whether the pull or the push found it) and when it works again; and the
 * admins' Home line.
 */
describeEachProvider("CRM sync notices [%s]", (provider) => {
  const bed = crmTestbed(provider);

  async function setup() {
    const tdb = bed.db();
    const clock = { now: new Date("2026-12-08T14:00:00Z") };
    const sf = await bed.startFake({ now: () => clock.now });
    const services: Services = createServices(tdb.db, { defaultTimezone: "UTC", now: () => clock.now, logger: silent, crm: { provider: "salesforce", push: true } });
    const ws = await services.repos.workspaces.ensure(`T${Math.random().toString(36).slice(2, 9).toUpperCase()}`, { timezone: "Europe/Berlin" });
    const mk = (id: string, name: string, email: string, extra: { language?: string; role?: "admin" } = {}) =>
      services.repos.users
        .upsertFromSlack(ws.id, { slackUserId: `${id}${ws.id}`, name, email, timezone: "Europe/Berlin", locale: "en-US", isSlackAdmin: false, inactive: false })
        .then((u) => services.repos.users.update(u.id, { language: extra.language ?? null, role: extra.role ?? "rep" }));
    const ada = await mk("UADA", "Ada", "ada@example.com");
    const klaus = await mk("UKLAUS", "Klaus", "klaus@example.com", { language: "de" });
    const root = await mk("UROOT", "Root", "root@example.com", { role: "admin" });
    const crm = createCrm(
      tdb.db,
      { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
      { now: () => clock.now, logger: silent, workerId: "w1" },
    );
    const job = new CrmSyncJob(crm.sync, silent, ws.slackTeamId, { push: crm.push, notices: { services, defaultTimezone: "UTC" } });
    const adaSf = sf.create("User", { Name: "Ada", Email: "ada@example.com" });
    const klausSf = sf.create("User", { Name: "Klaus", Email: "klaus@example.com" });
    const acme = sf.create("Account", { Name: "Acme", OwnerId: adaSf });
    const berlin = sf.create("Account", { Name: "Berliner Bank", OwnerId: klausSf });
    await job.plan(clock.now);
    const account = (name: string) => tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: ws.id, name } });
    const dms = (kind: string) => services.repos.outbox.list({ kind }).then((rows) => rows.filter((r) => [ada, klaus, root].some((u) => u.slackUserId === r.recipient)));
    const textOf = (payload: string) => (JSON.parse(payload) as { text: string }).text;
    const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
    return { ws, services, sf, crm, job, clock, ada, klaus, root, acme, berlin, account, dms, textOf, later, actor: (u: typeof ada) => toActor(u, ws, "UTC") };
  }

  it("a rep is told once, in their language, which of their changes Salesforce refused and why", async () => {
    const s = await setup();
    s.sf.addValidationRule("Task", { message: "Activities need a description of at least 20 characters", field: "Description", when: (r) => String(r.Description ?? "").length < 60 });
    const acme = await s.account("Acme");
    const bank = await s.account("Berliner Bank");
    const ada = s.actor(s.ada);
    const klaus = s.actor(s.klaus);
    await s.services.touches.log(ada, await s.services.principal(ada), { accountId: acme.id, kind: "call", note: "hi", participants: [], source: "command" });
    await s.services.touches.log(klaus, await s.services.principal(klaus), { accountId: bank.id, kind: "meeting", note: null, participants: [], source: "command" });
    await s.services.touches.log(klaus, await s.services.principal(klaus), { accountId: bank.id, kind: "call", note: "kurz", participants: [], source: "command" });

    expect((await s.job.plan(s.clock.now)).enqueued).toBe(2);
    const [toAda] = (await s.dms(OUTBOX_KIND.crmRep)).filter((r) => r.recipient === s.ada.slackUserId);
    expect(s.textOf(toAda!.payload)).toContain("*Salesforce did not take one of your changes.* Nothing you entered is lost here.");
    expect(s.textOf(toAda!.payload)).toContain("Call with *Acme* (Tue, Dec 8): Salesforce refused it: “Activities need a description of at least 20 characters” (FIELD_CUSTOM_VALIDATION_EXCEPTION).");
    const [toKlaus] = (await s.dms(OUTBOX_KIND.crmRep)).filter((r) => r.recipient === s.klaus.slackUserId);
    expect(s.textOf(toKlaus!.payload)).toContain("*Salesforce hat eine deiner Änderungen nicht übernommen.* Hier geht nichts verloren, was du eingegeben hast.");
    expect(s.textOf(toKlaus!.payload)).toContain("• Anruf mit *Berliner Bank* (Di., 8. Dez.): Salesforce hat abgelehnt: „Activities need a description of at least 20 characters“ (FIELD_CUSTOM_VALIDATION_EXCEPTION).");
    // The Event passed (no rule on events); only the refused Task is listed.
    expect(s.sf.list("Event")).toHaveLength(1);

    // Told once: later passes plan nothing more for the same rows.
    s.later(60_000);
    expect((await s.job.plan(s.clock.now)).enqueued).toBe(0);
    expect(await s.dms(OUTBOX_KIND.crmRep)).toHaveLength(2);
  });

  it("the admins are told once per breakage, whoever found it, that the queue holds; and once that it works again", async () => {
    const s = await setup();
    const acme = await s.account("Acme");
    const ada = s.actor(s.ada);
    s.sf.fail({ status: 401, errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid", times: 1000 });
    s.sf.revokeTokens();
    await s.services.touches.log(ada, await s.services.principal(ada), { accountId: acme.id, kind: "call", note: "waits", participants: [], source: "command" });

    s.later(5 * 60_000);
    await s.job.plan(s.clock.now);
    expect((await s.crm.sync.status(s.ws.id)).connection?.status).toBe("broken");
    const told = await s.dms(OUTBOX_KIND.crmAdmin);
    expect(told.map((r) => r.recipient)).toEqual([s.root.slackUserId]);
    expect(s.textOf(told[0]!.payload)).toMatch(/:warning: \*The Salesforce connection is broken\* since Tue, Dec 8, 3:05 PM: .*INVALID_SESSION_ID.*\nTouches, follow-ups and deals wait in the queue \(1 change waiting\)/);
    // More passes while it stays broken (pulls keep trying, the push holds): nobody is told again.
    for (let i = 0; i < 3; i++) {
      s.later(5 * 60_000);
      await s.job.plan(s.clock.now);
    }
    expect(await s.dms(OUTBOX_KIND.crmAdmin)).toHaveLength(1);
    expect(s.sf.list("Task")).toEqual([]);
    const summary = await s.services.crmStatus!.summary(s.ws.id);
    expect(summary).toMatchObject({ status: "broken", waiting: 1 });

    // Fixed: the next pull works, the queue drains, the admins hear it works again, once.
    s.sf.clearFaults();
    s.later(5 * 60_000);
    await s.job.plan(s.clock.now);
    expect(s.sf.list("Task").map((t) => t.Subject)).toEqual(["Call: waits"]);
    const after = await s.dms(OUTBOX_KIND.crmAdmin);
    expect(after).toHaveLength(2);
    expect(s.textOf(after[1]!.payload)).toContain("*The Salesforce connection works again.*");
    s.later(5 * 60_000);
    await s.job.plan(s.clock.now);
    expect(await s.dms(OUTBOX_KIND.crmAdmin)).toHaveLength(2);
    expect(await s.services.crmStatus!.summary(s.ws.id)).toMatchObject({ status: "ok", waiting: 0 });
  });
});
