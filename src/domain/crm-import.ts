/**
 * Reading CRM exports (Salesforce and HubSpot account/company and contact exports, or any CSV with
 * similar columns): which column means what, which CRM and kind of export a header row is, and
 * turning one CSV record into a validated import row. Pure: no I/O, no Slack, no database.
 *
 * Headers are compared after `headerKey` (lowercase, letters and digits only), so "Account Name",
 * "account_name" and "ACCOUNT-NAME" are the same column. When several columns map to the same field
 * the one whose alias comes first in the table wins ("Account Owner Email" beats "Owner").
 */
import { createHash } from "node:crypto";
import { currencyOfAmount, parseAmount } from "./amounts.js";
import { normalizeName } from "./names.js";

export type CrmProvider = "salesforce" | "hubspot" | "csv";
export type ExportKind = "accounts" | "contacts";
export type ImportTier = "key" | "growth" | "standard";
export type ImportKind = "company" | "individual";

export type AccountField = "externalId" | "name" | "ownerEmail" | "owner" | "industry" | "annualRevenue" | "tier" | "kind";
export type ContactField =
  | "contactId"
  | "firstName"
  | "lastName"
  | "fullName"
  | "email"
  | "title"
  | "phone"
  | "companyName"
  | "companyId"
  | "ownerEmail"
  | "owner";
export type ImportField = AccountField | ContactField;

interface FieldSpec<F extends string> {
  field: F;
  /** What the field is called in reports. */
  label: string;
  /** headerKey()s, best first. */
  aliases: string[];
}

/**
 * Column labels of German, French and Spanish Salesforce and HubSpot exports (as headerKey()s),
 * per field. Only labels seen in the vendors' published localisation or in real localized
 * exports are listed (README → Import and export names the source of each); a guessed label would
 * silently map the wrong column.
 */
const LOCALIZED_ACCOUNT_ALIASES: Record<"externalId" | "name" | "owner" | "industry" | "annualRevenue", string[]> = {
  // Salesforce de "Account-ID"; HubSpot de "Datensatz-ID".
  externalId: ["datensatzid"],
  // Salesforce de "Accountname", fr "Nom du compte", es "Nombre de la cuenta"; HubSpot fr "Nom de l'entreprise", es "Nombre de la empresa".
  name: ["accountname", "nomducompte", "nombredelacuenta", "nomdelentreprise", "nombredelaempresa"],
  // Salesforce de "Accountinhaber", es "Propietario de la cuenta".
  owner: ["accountinhaber", "propietariodelacuenta"],
  // Salesforce de "Branche".
  industry: ["branche"],
  // Salesforce and HubSpot de "Jahresumsatz"; HubSpot fr "Chiffre d'affaires annuel".
  annualRevenue: ["jahresumsatz", "chiffredaffairesannuel"],
};

/** Columns of account/company exports. */
export const ACCOUNT_COLUMNS: FieldSpec<AccountField>[] = [
  {
    field: "externalId",
    label: "CRM id",
    aliases: ["externalid", "accountid", "accountid18", "account18digitid", "recordid", "companyid", "hubspotid", "salesforceid", "crmid", "id", ...LOCALIZED_ACCOUNT_ALIASES.externalId],
  },
  {
    field: "name",
    label: "name",
    aliases: ["accountname", "companyname", "name", "company", "account", "organization", "organisation", "organizationname", ...LOCALIZED_ACCOUNT_ALIASES.name.filter((a) => a !== "accountname")],
  },
  {
    field: "ownerEmail",
    label: "owner email",
    aliases: ["accountowneremail", "companyowneremail", "owneremail", "accountowneremailaddress", "owneremailaddress", "hubspotowneremail", "salesrepemail"],
  },
  {
    field: "owner",
    label: "owner",
    aliases: ["accountowner", "companyowner", "owner", "hubspotowner", "accountownername", "ownername", "ownerfullname", ...LOCALIZED_ACCOUNT_ALIASES.owner],
  },
  { field: "industry", label: "industry", aliases: ["industry", "accountindustry", "sector", ...LOCALIZED_ACCOUNT_ALIASES.industry] },
  {
    field: "annualRevenue",
    label: "annual revenue",
    aliases: ["annualrevenue", "annualrevenueusd", "annualrevenueeur", "revenue", "annualvalue", "accountvalue", "arr", ...LOCALIZED_ACCOUNT_ALIASES.annualRevenue],
  },
  {
    field: "tier",
    label: "tier",
    aliases: ["tier", "accounttier", "accountrating", "rating", "idealcustomerprofiletier", "icptier", "priority", "accountpriority"],
  },
  { field: "kind", label: "kind", aliases: ["kind", "accountkind"] },
];

/** Columns of contact exports. */
export const CONTACT_COLUMNS: FieldSpec<ContactField>[] = [
  { field: "contactId", label: "contact CRM id", aliases: ["contactid", "externalid", "recordid", "contactrecordid", "hubspotid", "salesforceid", "id"] },
  { field: "firstName", label: "first name", aliases: ["firstname", "first"] },
  { field: "lastName", label: "last name", aliases: ["lastname", "last", "surname"] },
  { field: "fullName", label: "full name", aliases: ["fullname", "contactname", "name"] },
  { field: "email", label: "email", aliases: ["email", "emailaddress", "contactemail", "workemail"] },
  { field: "title", label: "job title", aliases: ["jobtitle", "title"] },
  { field: "phone", label: "phone", aliases: ["phonenumber", "phone", "businessphone", "mobilephonenumber", "mobilephone", "mobile"] },
  {
    field: "companyName",
    label: "company",
    aliases: ["associatedcompany", "companyname", "accountname", "associatedcompanyname", "company", "account"],
  },
  {
    field: "companyId",
    label: "company CRM id",
    aliases: ["associatedcompanyid", "associatedcompanyidprimary", "associatedcompanyids", "associatedcompanyidsprimary", "accountid", "companyid"],
  },
  { field: "ownerEmail", label: "owner email", aliases: ["contactowneremail", "owneremail", "accountowneremail", "hubspotowneremail"] },
  { field: "owner", label: "owner", aliases: ["contactowner", "owner", "hubspotowner", "accountowner", "ownername"] },
];

/** Headers only a contact export has. */
const CONTACT_SIGNALS = new Set(["firstname", "lastname", "contactid", "fullname", "contactowner", "contactowneremail"]);

/** Headers that give a CRM away (a HubSpot export always has "Record ID"). */
const PROVIDER_SIGNALS: Record<Exclude<CrmProvider, "csv">, Set<string>> = {
  hubspot: new Set([
    "recordid",
    "datensatzid",
    "nomdelentreprise",
    "nombredelaempresa",
    "companyowner",
    "contactowner",
    "lifecyclestage",
    "associatedcompany",
    "associatedcompanyid",
    "associatedcompanyidprimary",
    "associatedcompanyids",
    "associatedcompanyidsprimary",
    "hubspotowner",
    "leadstatus",
    "createdate",
    "lastactivitydate",
    "companydomainname",
    "phonenumber",
  ]),
  salesforce: new Set([
    "accountid",
    "accountid18",
    "accountname",
    "accountowner",
    "accountinhaber",
    "nomducompte",
    "nombredelacuenta",
    "propietariodelacuenta",
    "accountowneremail",
    "contactid",
    "billingcity",
    "billingstate",
    "billingstateprovince",
    "billingcountry",
    "billingstreet",
    "accountrating",
    "accounttype",
    "parentaccount",
    "accountsource",
    "accountnumber",
    "mailingcity",
    "mailingcountry",
    // API names, as in Data Loader and the weekly data export.
    "ownerid",
    "parentid",
    "sicdesc",
    "tickersymbol",
  ]),
};

/** Prefix of the external ids this CRM's rows get: `sf:001…`, `hs:1234`, `csv:…`. */
export const ID_PREFIX: Record<CrmProvider, string> = { salesforce: "sf", hubspot: "hs", csv: "csv" };

/** External ids written by us (an export of this app re-imports to the same accounts). */
const OWN_ID = /^(sf|hs|csv|hash):\S/;

export interface CrmFormat {
  provider: CrmProvider;
  kind: ExportKind;
}

export function formatLabel(f: CrmFormat): string {
  const crm = f.provider === "salesforce" ? "Salesforce" : f.provider === "hubspot" ? "HubSpot" : "Generic CSV";
  const what = f.kind === "contacts" ? "contact" : f.provider === "hubspot" ? "company" : "account";
  return `${crm} ${what} export`;
}

export interface ColumnMapping {
  format: CrmFormat;
  /** Column index per recognised field. */
  columns: Partial<Record<ImportField, number>>;
  recognised: { header: string; field: ImportField; label: string }[];
  ignored: string[];
}

/** "Account Name", "account_name", " ACCOUNT-NAME " → "accountname". */
export function headerKey(header: string): string {
  return normalizeName(header).replace(/[^\p{L}\p{N}]+/gu, "");
}

export function detectFormat(headers: string[]): CrmFormat {
  const keys = headers.map(headerKey);
  const kind: ExportKind = keys.some((k) => CONTACT_SIGNALS.has(k)) ? "contacts" : "accounts";
  const score = (p: Exclude<CrmProvider, "csv">) => keys.filter((k) => PROVIDER_SIGNALS[p].has(k)).length;
  const hs = score("hubspot");
  const sf = score("salesforce");
  // An "External ID" column is ours (ae-assistant export) or a hand-made file: its ids are used as given.
  const provider: CrmProvider = keys.includes("externalid") ? "csv" : hs > sf ? "hubspot" : sf > hs ? "salesforce" : "csv";
  return { provider, kind };
}

/** Maps a header row to fields. Throws a HeaderError when no column can name the account/contact. */
export function mapColumns(headers: string[]): ColumnMapping {
  const format = detectFormat(headers);
  const specs: FieldSpec<ImportField>[] = format.kind === "contacts" ? CONTACT_COLUMNS : ACCOUNT_COLUMNS;
  const best = new Map<ImportField, { index: number; rank: number }>();
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key === "") return;
    for (const spec of specs) {
      const rank = spec.aliases.indexOf(key);
      if (rank === -1) continue;
      const current = best.get(spec.field);
      if (!current || rank < current.rank) best.set(spec.field, { index, rank });
      return;
    }
  });
  const columns: Partial<Record<ImportField, number>> = {};
  for (const [field, { index }] of best) columns[field] = index;
  const used = new Set([...best.values()].map((b) => b.index));
  const recognised = [...best.entries()]
    .sort((a, b) => a[1].index - b[1].index)
    .map(([field, { index }]) => ({ header: headers[index]!, field, label: specs.find((s) => s.field === field)!.label }));
  const ignored = headers.filter((h, i) => !used.has(i) && h.trim() !== "");
  if (format.kind === "accounts" && columns.name === undefined) {
    throw new HeaderError(`no column holds the account name (expected one of: Account Name, Company name, Name). Columns found: ${list(headers)}`);
  }
  if (format.kind === "contacts" && columns.firstName === undefined && columns.lastName === undefined && columns.fullName === undefined && columns.email === undefined) {
    throw new HeaderError(`no column holds the contact's name or email (expected First Name/Last Name, Full Name or Email). Columns found: ${list(headers)}`);
  }
  return { format, columns, recognised, ignored };
}

function list(headers: string[]): string {
  const shown = headers.slice(0, 15).map((h) => `"${h}"`).join(", ");
  return headers.length > 15 ? `${shown} … (${headers.length} in all)` : shown || "(none)";
}

export class HeaderError extends Error {
  override name = "HeaderError";
}

/** Hot/Key/Strategic/A/Tier 1 → key; Warm/Growth/B/Tier 2 → growth; anything else → standard. */
export function mapTier(value: string): ImportTier {
  const v = headerKey(value);
  if (["hot", "key", "keyaccount", "strategic", "a", "tier1", "1", "high", "top", "enterprise"].includes(v)) return "key";
  if (["warm", "growth", "b", "tier2", "2", "medium", "mid", "midmarket"].includes(v)) return "growth";
  return "standard";
}

function mapKind(value: string): ImportKind | null {
  const v = headerKey(value);
  if (["company", "business", "organization", "organisation", "corporate"].includes(v)) return "company";
  if (["individual", "person", "private", "privateclient", "household"].includes(v)) return "individual";
  return null;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** A stable id for rows without one: the normalized name plus the owner's email. */
export function hashId(nameKey: string, ownerEmail: string | null): string {
  return `hash:${createHash("sha256").update(`${nameKey}\n${(ownerEmail ?? "").toLowerCase()}`).digest("hex").slice(0, 24)}`;
}

/** `sf:001…`: a Salesforce 18-character id is cut to the 15-character id it extends (same record). */
export function externalIdOf(provider: CrmProvider, raw: string): string {
  const id = raw.trim();
  if (OWN_ID.test(id)) return id;
  const canonical = provider === "salesforce" && /^[a-zA-Z0-9]{18}$/.test(id) ? id.slice(0, 15) : id;
  return `${ID_PREFIX[provider]}:${canonical}`;
}

/** A name as stored: single spaces, no line breaks. */
function cleanText(value: string | undefined): string {
  return (value ?? "").replace(/\s+/g, " ").trim();
}

export const MAX_NAME_LENGTH = 200;

export interface AccountRow {
  type: "account";
  externalId: string;
  name: string;
  nameKey: string;
  /** Lowercased owner email from the file, if any. */
  ownerEmail: string | null;
  /** What the owner column says when it is not an email (a person's name), for messages. */
  ownerLabel: string | null;
  /** undefined: not in the file or blank cell → left as it is (defaults on create). */
  industry?: string;
  annualValueCents?: number;
  tier?: ImportTier;
  kind?: ImportKind;
}

export interface ContactRow {
  type: "contact";
  externalId: string;
  name: string;
  nameKey: string;
  email?: string;
  title?: string;
  phone?: string;
  /** The company the contact works for; null → the contact is an individual client. */
  company: { name: string; nameKey: string; externalId: string | null } | null;
  ownerEmail: string | null;
  ownerLabel: string | null;
}

export type ImportRow = AccountRow | ContactRow;
export type RowResult = { ok: true; row: ImportRow } | { ok: false; reason: string };

/** Amounts as CRMs write them: "1500000", "$1,500,000.00", "1.500.000,00 €", "1.5E+07". */
export function parseRevenue(value: string, locale: string): { ok: true; cents: number } | { ok: false; reason: string } {
  const v = value.trim();
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(v)) {
    const n = Number(v);
    if (Number.isFinite(n) && n <= 1e12) return { ok: true, cents: Math.round(n * 100) };
  }
  const r = parseAmount(v, locale);
  if (r.ok) return r;
  const why = r.reason === "negative" ? "is negative" : r.reason === "too_large" ? "is too large" : "is not an amount";
  return { ok: false, reason: `annual revenue "${v}" ${why}` };
}

export interface RowContext {
  mapping: ColumnMapping;
  /** Locale amounts are read in (de-DE for `;`-delimited German Excel files). */
  locale: string;
  /** The workspace currency (ISO 4217): an amount marked with another one is refused. */
  currency?: string;
  /** "ignore": take the number of an amount in another currency as it is (the admin's call). */
  currencyMismatch?: "refuse" | "ignore";
}

function cell(record: string[], mapping: ColumnMapping, field: ImportField): string | undefined {
  const i = mapping.columns[field];
  if (i === undefined) return undefined;
  const v = record[i];
  return v === undefined ? undefined : v.trim();
}

function owner(record: string[], mapping: ColumnMapping): { ok: true; email: string | null; label: string | null } | { ok: false; reason: string } {
  const email = cell(record, mapping, "ownerEmail");
  const name = cleanText(cell(record, mapping, "owner"));
  if (email) {
    if (!isEmail(email)) return { ok: false, reason: `owner email "${email}" is not an email address` };
    return { ok: true, email: email.toLowerCase(), label: name || null };
  }
  // Some exports put the owner's email in the owner column itself.
  if (name && isEmail(name)) return { ok: true, email: name.toLowerCase(), label: null };
  return { ok: true, email: null, label: name || null };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = cleanText(v);
  return t === "" ? undefined : t;
}

/** Validates one data record. Reasons are phrased for a person reading the import report. */
export function parseRow(record: string[], ctx: RowContext): RowResult {
  const m = ctx.mapping;
  const o = owner(record, m);
  if (!o.ok) return o;
  if (m.format.kind === "accounts") {
    const name = cleanText(cell(record, m, "name"));
    if (name === "") return { ok: false, reason: "no account name" };
    if (name.length > MAX_NAME_LENGTH) return { ok: false, reason: `account name is longer than ${MAX_NAME_LENGTH} characters` };
    const nameKey = normalizeName(name);
    const row: AccountRow = { type: "account", externalId: "", name, nameKey, ownerEmail: o.email, ownerLabel: o.label };
    const id = cell(record, m, "externalId");
    row.externalId = id ? externalIdOf(m.format.provider, id) : hashId(nameKey, o.email);
    const industry = nonEmpty(cell(record, m, "industry"));
    if (industry !== undefined) row.industry = industry.slice(0, 100);
    const revenue = cell(record, m, "annualRevenue");
    if (revenue) {
      const r = parseRevenue(revenue, ctx.locale);
      if (!r.ok) return r;
      const marked = currencyOfAmount(revenue);
      if (ctx.currency && ctx.currencyMismatch !== "ignore" && marked && !marked.includes(ctx.currency)) {
        return {
          ok: false,
          reason:
            `annual revenue "${revenue}" is in ${marked.length === 1 ? marked[0] : marked.join("/")}, but the workspace currency is ${ctx.currency}; ` +
            `nothing is converted, so convert the file, change the workspace currency (ae-assistant workspace set --currency ${marked[0]}), or pass --currency-mismatch ignore`,
        };
      }
      row.annualValueCents = r.cents;
    }
    const tier = cell(record, m, "tier");
    if (tier) row.tier = mapTier(tier);
    const kind = cell(record, m, "kind");
    if (kind) {
      const k = mapKind(kind);
      if (!k) return { ok: false, reason: `kind "${kind}" is neither company nor individual` };
      row.kind = k;
    }
    return { ok: true, row };
  }

  const email = cell(record, m, "email");
  if (email && !isEmail(email)) return { ok: false, reason: `email "${email}" is not an email address` };
  const fullName = cleanText(cell(record, m, "fullName"));
  const name = fullName || cleanText(`${cell(record, m, "firstName") ?? ""} ${cell(record, m, "lastName") ?? ""}`) || (email ?? "");
  if (name === "") return { ok: false, reason: "no contact name or email" };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, reason: `contact name is longer than ${MAX_NAME_LENGTH} characters` };
  const nameKey = normalizeName(name);
  const id = cell(record, m, "contactId");
  const companyName = cleanText(cell(record, m, "companyName"));
  // "Associated Company IDs" may list several, separated by ";": the first is the primary one.
  const companyId = cell(record, m, "companyId")?.split(/[;,]/)[0]?.trim();
  if (companyName.length > MAX_NAME_LENGTH) return { ok: false, reason: `company name is longer than ${MAX_NAME_LENGTH} characters` };
  const row: ContactRow = {
    type: "contact",
    externalId: id ? externalIdOf(m.format.provider, id) : hashId(nameKey, email ?? o.email),
    name,
    nameKey,
    company:
      companyName || companyId
        ? { name: companyName, nameKey: normalizeName(companyName), externalId: companyId ? externalIdOf(m.format.provider, companyId) : null }
        : null,
    ownerEmail: o.email,
    ownerLabel: o.label,
  };
  if (email) row.email = email;
  const title = nonEmpty(cell(record, m, "title"));
  if (title !== undefined) row.title = title.slice(0, 200);
  const phone = nonEmpty(cell(record, m, "phone"));
  if (phone !== undefined) row.phone = phone.slice(0, 50);
  return { ok: true, row };
}

/** The delimiter of a header line: the most frequent of , ; TAB | outside quotes (default ","). */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([[",", 0], [";", 0], ["\t", 0], ["|", 0]]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}
