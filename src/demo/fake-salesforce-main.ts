/**
 * `npm run fake-salesforce`: the fake Salesforce on a fixed port, with a small book of business
 * owned by the email you give, and a prompt to change records as a user in Salesforce would.
 *
 *   npm run fake-salesforce -- --owner-email you@company.com [--port 7357]
 *
 * Then point the bot at it (the lines to put in .env are printed) and run `ae-assistant crm sync`,
 * or let the scheduler pull every CRM_SYNC_MINUTES.
 */
import "../runtime/require-supported-node.js";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { STAGE_MAP_EXAMPLE } from "../domain/crm-sync.js";
import { FakeSalesforce, type SObjectType, type SRecord } from "./fake-salesforce.js";
import { promptFields, promptWords, runPrompt, unquote } from "./fake-prompt.js";

const TYPES: Record<string, SObjectType> = { account: "Account", opportunity: "Opportunity", opp: "Opportunity", contact: "Contact", user: "User" };

export const FAKE_SALESFORCE_HELP = [
  "Commands (values with spaces in double quotes):",
  "  list                                        accounts, opportunities, contacts, and the tasks and events the bot wrote",
  '  update opportunity "Rocket skates" Amount=30500 StageName="Negotiation/Review" CloseDate=2026-12-18',
  '  update account "Acme Rockets" Name="Acme Rockets Inc" Industry=Aerospace',
  '  create account Name="Wayne Enterprises"      (owned by the first user)',
  '  delete opportunity "Rocket skates"          (to the Recycle Bin: queryAll still returns it as deleted)',
  "  help | quit",
].join("\n");

/** Seeds a user with `ownerEmail`, three accounts, their opportunities and a contact each. */
export function seedFakeSalesforce(sf: FakeSalesforce, ownerEmail: string): void {
  const owner = sf.create("User", { Name: "You", Email: ownerEmail });
  const book: [string, string, [string, number, string, string][]][] = [
    ["Acme Rockets", "Aerospace", [["Rocket skates", 12000, "Qualification", "2026-12-18"]]],
    ["Globex", "Energy", [["Globex expansion", 48000, "Proposal/Price Quote", "2027-01-29"]]],
    ["Initech", "Software", [["Initech TPS reports", 9500, "Prospecting", "2027-02-26"]]],
  ];
  for (const [name, industry, opps] of book) {
    const account = sf.create("Account", { Name: name, Industry: industry, OwnerId: owner });
    for (const [title, amount, stage, close] of opps) sf.create("Opportunity", { Name: title, AccountId: account, Amount: amount, StageName: stage, CloseDate: close, OwnerId: owner });
    sf.create("Contact", { FirstName: "Pat", LastName: name.split(" ")[0]!, AccountId: account, Email: `pat@${name.split(" ")[0]!.toLowerCase()}.example`, Title: "Buyer" });
  }
}

function value(v: string): string | number | boolean | null {
  const text = unquote(v);
  if (v.startsWith('"')) return text;
  if (text === "null") return null;
  if (text === "true" || text === "false") return text === "true";
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function fields(args: string[]): SRecord {
  return promptFields(args, value);
}

/** Runs one prompt line against the fake; returns what to print. */
export function runFakeCommand(sf: FakeSalesforce, line: string): string {
  const [verb, typeWord, ...rest] = promptWords(line.trim());
  if (!verb || verb === "help") return FAKE_SALESFORCE_HELP;
  if (verb === "list") {
    const on = (r: SRecord) => {
      const account = typeof r.WhatId === "string" ? sf.find("Account", r.WhatId) : undefined;
      return account ? `  on ${String(account.Name)}` : "";
    };
    const show = (type: SObjectType, extra: (r: SRecord) => string) => sf.list(type).map((r) => `  ${type} ${String(r.Id)}  ${String(r.Name)}${extra(r)}`);
    return [
      ...show("Account", (r) => (r.Industry ? `  (${String(r.Industry)})` : "")),
      ...show("Opportunity", (r) => `  ${String(r.Amount)}  ${String(r.StageName)}  closes ${String(r.CloseDate)}`),
      ...show("Contact", (r) => (r.Email ? `  <${String(r.Email)}>` : "")),
      ...sf.list("Task").map((r) => `  Task ${String(r.Id)}  ${String(r.Subject)}  ${String(r.Status)}  ${String(r.ActivityDate)}${on(r)}`),
      ...sf.list("Event").map((r) => `  Event ${String(r.Id)}  ${String(r.Subject)}  ${String(r.StartDateTime)} (${String(r.DurationInMinutes)} min)${on(r)}`),
    ].join("\n");
  }
  const type = typeWord ? TYPES[typeWord.toLowerCase()] : undefined;
  if (!type) return `Which object? account, opportunity, contact or user.\n${FAKE_SALESFORCE_HELP}`;
  if (verb === "create") {
    const owner = sf.list("User")[0];
    const data = fields(rest);
    const id = sf.create(type, type === "User" || !owner ? data : { OwnerId: String(owner.Id), ...data });
    return `created ${type} ${id}`;
  }
  const target = rest[0] ? sf.find(type, unquote(rest[0])) : undefined;
  if (!target) return `No ${type} "${rest[0] ? unquote(rest[0]) : ""}". Try: list`;
  if (verb === "update") {
    sf.update(type, String(target.Id), fields(rest.slice(1)));
    return `updated ${type} ${String(target.Id)} (SystemModstamp ${String(target.SystemModstamp)})`;
  }
  if (verb === "delete") {
    sf.remove(type, String(target.Id));
    return `deleted ${type} ${String(target.Id)}`;
  }
  return `Unknown command "${verb}".\n${FAKE_SALESFORCE_HELP}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "owner-email": { type: "string" }, port: { type: "string" } } });
  const ownerEmail = values["owner-email"] ?? "you@example.com";
  const sf = await FakeSalesforce.start({ port: Number(values.port ?? 7357) });
  seedFakeSalesforce(sf, ownerEmail);
  runPrompt(
    [
      `Fake Salesforce at ${sf.url}; its accounts belong to ${ownerEmail} (your Slack profile's email).`,
      "Put these in .env next to package.json, then run: npx ae-assistant doctor && npx ae-assistant crm sync",
      `  SALESFORCE_LOGIN_URL=${sf.url}`,
      `  SALESFORCE_CLIENT_ID=${sf.clientId}`,
      `  SALESFORCE_CLIENT_SECRET=${sf.clientSecret}`,
      `  CRM_STAGE_MAP="${STAGE_MAP_EXAMPLE}"`,
      "",
      FAKE_SALESFORCE_HELP,
      "",
    ].join("\n"),
    "salesforce> ",
    (line) => runFakeCommand(sf, line),
    () => sf.stop(),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
