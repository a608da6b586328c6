import { describe, expect, it } from "vitest";
import { translator } from "../../src/i18n/translate.js";
import { crmAdminNotice, crmHomeLine, crmProblemsNotice, MAX_PROBLEMS_SHOWN, type CrmProblemView } from "../../src/slack/blocks/crm-blocks.js";
import type { ReminderFormat } from "../../src/slack/blocks/reminder-format.js";

const f = (language: "en" | "de"): ReminderFormat => ({ t: translator(language), locale: language === "de" ? "de-DE" : "en-US", currency: "EUR", zone: "Europe/Berlin" });
const problem = (i: number, extra: Partial<CrmProblemView> = {}): CrmProblemView => ({
  status: "rejected",
  entity: "touch",
  accountName: `Acme <!channel> ${i}`,
  label: "call",
  when: new Date("2026-12-08T10:00:00Z"),
  lastError: "x".repeat(2000),
  errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
  deal: null,
  change: null,
  ...extra,
});

describe("CRM blocks", () => {
  it("a DM about many refused pushes lists ten, counts the rest, and stays within Slack's limits without pinging anyone", () => {
    const m = crmProblemsNotice(f("en"), "Salesforce", Array.from({ length: 30 }, (_, i) => problem(i)));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.blocks.filter((b) => b.type === "section")).toHaveLength(1 + MAX_PROBLEMS_SHOWN);
    for (const b of m.blocks) if (b.type === "section") expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(m.blocks)).toContain("…and 20 more");
    expect(m.text).not.toContain("<!channel>");
  });
  it("a conflict names the CRM's values and the change that was not written, in German too", () => {
    const conflict = problem(1, { status: "conflict", entity: "deal", accountName: "Globex", lastError: null, errorCode: "CONFLICT", deal: { stage: "negotiation", amountCents: 4_500_000, expectedCloseAt: new Date("2026-12-17T23:00:00Z") }, change: { stage: "won", amountCents: 5_000_000 } });
    // Intl puts a no-break space before the euro sign.
    expect(crmProblemsNotice(f("de"), "Salesforce", [conflict]).text.replace(/\s/g, " ")).toContain("Der Deal bei *Globex*: wurde seit dem letzten Abgleich in Salesforce geändert, daher wurde dort nichts überschrieben. Er zeigt jetzt die Werte aus Salesforce (Verhandlung, 45.000 €, Abschluss Fr., 18. Dez.). Deine Änderung (Phase Gewonnen, Betrag 50.000 €) wurde nicht geschrieben.");
  });
  it("the admins' notices and the Home line say what is wrong, since when, and what waits", () => {
    const since = new Date("2026-12-08T09:02:00Z");
    expect(crmAdminNotice(f("en"), "Salesforce", { kind: "broken", key: "k", since, reason: "refused (INVALID_SESSION_ID)", waiting: 12 }).text).toContain("*The Salesforce connection is broken* since Tue, Dec 8, 10:02 AM: refused (INVALID_SESSION_ID)\nTouches, follow-ups and deals wait in the queue (12 changes waiting)");
    const base = { provider: "salesforce" as const, since: null, until: null, reason: null, waiting: 0, lastSyncAt: since };
    expect(crmHomeLine(f("en"), "Salesforce", { ...base, status: "ok" })).toBe("*Salesforce:* in sync · last sync Tue, Dec 8, 10:02 AM · nothing waiting");
    expect(crmHomeLine(f("en"), "Salesforce", { ...base, status: "broken", since, waiting: 3 })).toBe(":warning: *Salesforce:* broken since Tue, Dec 8, 10:02 AM · 3 changes waiting");
    expect(crmHomeLine(f("de"), "Salesforce", { ...base, status: "limited", until: since, waiting: 1 })).toBe("*Salesforce:* pausiert nach einem Ratenlimit bis Di., 8. Dez., 10:02 · 1 Änderung wartet · letzter Abgleich Di., 8. Dez., 10:02");
  });
});
