/**
 * `npm run fake-hubspot`: the fake HubSpot on a fixed port, with a small book of business owned
 * by the email you give, and a prompt to change records as a user in HubSpot would.
 *
 *   npm run fake-hubspot -- --owner-email you@company.com [--port 7358]
 *
 * Then point the bot at it (the lines to put in .env are printed) and run `ae-assistant crm sync`,
 * or let the scheduler pull every CRM_SYNC_MINUTES.
 */
import "../runtime/require-supported-node.js";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { AssociationTypes } from "@hubspot/api-client";
import { HUBSPOT_STAGE_MAP_EXAMPLE } from "../domain/crm-sync.js";
import { FakeHubSpot, type HsObjectType, type HsProperties, type HsRecord } from "./fake-hubspot.js";
import { HUBSPOT_KEY_PROPERTY } from "../services/crm/hubspot-writer.js";
import { promptFields, promptWords, runPrompt, unquote } from "./fake-prompt.js";

const TYPES: Record<string, HsObjectType> = { company: "companies", companies: "companies", deal: "deals", deals: "deals", contact: "contacts", contacts: "contacts" };

/** A token that stays the same from one start to the next, so .env keeps working. */
export const FAKE_HUBSPOT_TOKEN = "pat-na1-fa4e0000-0000-4000-8000-000000000000";

export const FAKE_HUBSPOT_HELP = [
  "Commands (values with spaces in double quotes; property names as HubSpot's internal names):",
  "  list                                         companies, deals and contacts with their ids, and what the bot pushed",
  "                                               (calls, emails, meetings, notes and tasks, with their company)",
  '  update deal "Rocket skates" amount=30500 dealstage=contractsent closedate=2026-12-18',
  '  update company "Acme Rockets" name="Acme Rockets Inc" industry=AVIATION_AEROSPACE',
  '  create company name="Wayne Enterprises"       (owned by the first owner)',
  '  delete deal "Rocket skates"                  (archived: the archived listing still has it)',
  `  deal stages: ${HUBSPOT_STAGE_MAP_EXAMPLE.split(";").map((p) => p.split("=")[0]).join(", ")}`,
  "  help | quit",
].join("\n");

/** Seeds an owner with `ownerEmail`, three companies, a deal and a contact each. */
export function seedFakeHubSpot(hs: FakeHubSpot, ownerEmail: string): void {
  // The key property the push needs, as the admin creates it (README → Connect HubSpot).
  hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
  const owner = hs.addOwner({ email: ownerEmail, firstName: "You" });
  const book: [string, string, string, number, string, string][] = [
    ["Acme Rockets", "AVIATION_AEROSPACE", "Rocket skates", 12000, "qualifiedtobuy", "2026-12-18"],
    ["Globex", "UTILITIES", "Globex expansion", 48000, "presentationscheduled", "2027-01-29"],
    ["Initech", "COMPUTER_SOFTWARE", "Initech TPS reports", 9500, "appointmentscheduled", "2027-02-26"],
  ];
  for (const [name, industry, deal, amount, stage, close] of book) {
    const company = hs.create("companies", { name, industry, hubspot_owner_id: owner });
    hs.create("deals", { dealname: deal, amount: String(amount), dealstage: stage, closedate: close, hubspot_owner_id: owner }, [{ to: "companies", id: company, typeId: AssociationTypes.primaryDealToCompany }]);
    const first = name.split(" ")[0]!;
    hs.create("contacts", { firstname: "Pat", lastname: first, email: `pat@${first.toLowerCase()}.example`, jobtitle: "Buyer", associatedcompanyid: company });
  }
}

/** A pushed engagement or task: its title, status, time and company. */
function engagementLine(hs: FakeHubSpot, r: HsRecord): string {
  const p = r.properties;
  const title = p.hs_call_title ?? p.hs_email_subject ?? p.hs_meeting_title ?? p.hs_task_subject ?? (p.hs_note_body ?? "").split("\n")[0] ?? "";
  const status = p.hs_call_status ?? p.hs_email_status ?? p.hs_meeting_outcome ?? p.hs_task_status ?? "";
  const company = hs.associations(r.type, r.id, "companies")[0];
  const on = company ? `  on ${hs.get("companies", company.id).properties.name ?? company.id}` : "";
  return `${title}  ${status}  ${p.hs_timestamp?.slice(0, 16) ?? ""}${on}`.replace(/ {2,}(?= |$)/g, " ").trimEnd();
}

function nameOf(r: HsRecord): string {
  return r.properties.name ?? r.properties.dealname ?? ([r.properties.firstname, r.properties.lastname].filter(Boolean).join(" ") || (r.properties.email ?? ""));
}

/** Runs one prompt line against the fake; returns what to print. */
export function runFakeHubSpotCommand(hs: FakeHubSpot, line: string): string {
  const [verb, typeWord, ...rest] = promptWords(line.trim());
  if (!verb || verb === "help") return FAKE_HUBSPOT_HELP;
  if (verb === "list") {
    const show = (type: HsObjectType, extra: (r: HsRecord) => string) => hs.list(type).map((r) => `  ${type} ${r.id}  ${nameOf(r)}${extra(r)}`);
    return [
      ...show("companies", (r) => (r.properties.industry ? `  (${r.properties.industry})` : "")),
      ...show("deals", (r) => `  ${r.properties.amount ?? "-"}  ${r.properties.dealstage ?? "-"}  closes ${r.properties.closedate?.slice(0, 10) ?? "-"}`),
      ...show("contacts", (r) => (r.properties.email ? `  <${r.properties.email}>` : "")),
      ...(["calls", "emails", "meetings", "notes", "tasks"] as const).flatMap((t) => hs.list(t).map((r) => `  ${t} ${r.id}  ${engagementLine(hs, r)}`)),
    ].join("\n");
  }
  const type = typeWord ? TYPES[typeWord.toLowerCase()] : undefined;
  if (!type) return `Which object? company, deal or contact.\n${FAKE_HUBSPOT_HELP}`;
  const props = (words: string[]): HsProperties => promptFields(words, (raw) => (unquote(raw) === "null" && !raw.startsWith('"') ? null : unquote(raw)));
  try {
    if (verb === "create") {
      const owner = hs.ownerList().find((o) => !o.archived);
      const id = hs.create(type, { ...(owner ? { hubspot_owner_id: owner.id } : {}), ...props(rest) });
      return `created ${type} ${id}`;
    }
    const target = rest[0] ? hs.find(type, unquote(rest[0])) : undefined;
    if (!target) return `No ${type} "${rest[0] ? unquote(rest[0]) : ""}". Try: list`;
    if (verb === "update") {
      const r = hs.update(type, target.id, props(rest.slice(1)));
      return `updated ${type} ${r.id} (last modified ${r.updatedAt})`;
    }
    if (verb === "delete") {
      hs.archive(type, target.id);
      return `deleted ${type} ${target.id}`;
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return `Unknown command "${verb}".\n${FAKE_HUBSPOT_HELP}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "owner-email": { type: "string" }, port: { type: "string" } } });
  const ownerEmail = values["owner-email"] ?? "you@example.com";
  const hs = await FakeHubSpot.start({ port: Number(values.port ?? 7358), accessToken: FAKE_HUBSPOT_TOKEN });
  seedFakeHubSpot(hs, ownerEmail);
  runPrompt(
    [
      `Fake HubSpot at ${hs.url}; its companies belong to ${ownerEmail} (your Slack profile's email).`,
      "Put these in .env next to package.json, then run: npx ae-assistant doctor && npx ae-assistant crm sync",
      `  HUBSPOT_API_URL=${hs.url}`,
      `  HUBSPOT_ACCESS_TOKEN=${hs.accessToken}`,
      `  CRM_STAGE_MAP="${HUBSPOT_STAGE_MAP_EXAMPLE}"`,
      "",
      FAKE_HUBSPOT_HELP,
      "",
    ].join("\n"),
    "hubspot> ",
    (line) => runFakeHubSpotCommand(hs, line),
    () => hs.stop(),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
