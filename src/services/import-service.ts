import type { Db } from "../db/client.js";
import {
  ImportRepository,
  type AccountRef,
  type ImportedAccount,
  type ImportedContact,
  type WriteBatch,
} from "../db/repositories/import-repository.js";
import { UserRepository, type SlackProfile } from "../db/repositories/user-repository.js";
import {
  formatLabel,
  hashId,
  HeaderError,
  isEmail,
  mapColumns,
  parseRow,
  type RowContext,
  type AccountRow,
  type ColumnMapping,
  type ContactRow,
  type CrmFormat,
  type ImportRow,
} from "../domain/crm-import.js";
import { CsvFileError, openCsv, type CsvSource } from "./csv-reader.js";

/**
 * `ae-assistant import accounts <file.csv>`: brings a book of business across from a CRM export.
 *
 * - Idempotent: every account gets an external id (`sf:<Account ID>`, `hs:<Record ID>`, or a hash
 *   of name + owner email when the file has no id column) and is upserted by (workspace, external
 *   id). Re-importing the same file changes nothing; a changed row changes only the fields that
 *   differ. Accounts not in the file are never touched, nor is anything entered in the app
 *   (touches, follow-ups, deals, gifts, snoozes, archiving). An empty cell never erases a value.
 * - An account created in the app before the first import (same name, same owner, no external id)
 *   is linked to its CRM row instead of being duplicated.
 * - Owners are matched to Slack users by email (users.lookupByEmail); an owner Slack does not know
 *   makes the row skipped, or assigned to the fallback owner (`--owner`) when one is given. An
 *   existing account keeps its owner when the file's owner cannot be found.
 * - Contact exports: each contact is attached to its company's account (by company id, else by
 *   name, else a new company account); a contact without a company becomes an individual account.
 * - Bad rows are reported by the line they start on and skipped; the rest is imported.
 * - Rows are processed in batches; each batch is read with a few queries and written in one
 *   transaction. A dry run plans exactly the same way and writes nothing.
 */

/** Finds Slack users (users.lookupByEmail, users.info). */
export interface UserDirectory {
  /** The Slack user with this email, or null when the workspace has none. */
  findByEmail(email: string): Promise<{ slackUserId: string; deleted: boolean } | null>;
  /** users.info → the profile we store (time zone, locale); null when Slack has no such user. */
  profile(slackUserId: string): Promise<SlackProfile | null>;
}

export interface ImportOwner {
  slackUserId: string;
  /** Our user row; null in a dry run when the owner would be added by the import. */
  userId: number | null;
  label: string;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  workspaceId: number;
  dryRun: boolean;
  /** Rows whose owner is missing or unknown to Slack go to this user instead of being skipped. */
  fallbackOwner?: ImportOwner;
  /** The workspace currency; amounts marked with another are refused unless `currencyMismatch` is "ignore". */
  currency?: string;
  currencyMismatch?: "refuse" | "ignore";
  batchSize?: number;
  /** Called once the header is understood, before any row is processed. */
  onStart?: (info: Pick<ImportReport, "file" | "formatLabel" | "delimiter" | "encoding" | "recognised" | "ignored" | "dryRun">) => void;
  onProgress?: (p: ImportProgress) => void;
}

export interface RowChange {
  line: number;
  action: "create" | "update";
  entity: "account" | "contact";
  externalId: string;
  name: string;
  details: string[];
}

export interface ImportReport {
  file: string;
  format: CrmFormat;
  formatLabel: string;
  delimiter: string;
  encoding: string;
  recognised: ColumnMapping["recognised"];
  ignored: string[];
  dryRun: boolean;
  /** Data rows read (blank rows not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Every skipped row, by the line it starts on. */
  problems: { line: number; reason: string }[];
  /** What was (or would be) created or updated, up to MAX_CHANGES_LISTED. */
  changes: RowChange[];
  changesOmitted: number;
  /** Slack users added as owners (in a dry run: who would be added), by email. */
  ownersAdded: string[];
  /** Owner emails Slack does not know. */
  ownersNotFound: string[];
  /** Company or individual accounts created for contact rows. */
  accountsCreatedForContacts: number;
  durationMs: number;
}

export const MAX_CHANGES_LISTED = 1000;
const DEFAULT_BATCH = 500;
const LOOKUP_CONCURRENCY = 4;

export class ImportError extends Error {
  override name = "ImportError";
}

type OwnerLookup = { ok: true; owner: ImportOwner } | { ok: false; reason: string };
type RowOwner = { owner: ImportOwner; fromFile: boolean } | { reason: string };
type Pending = { line: number; row: ImportRow };

function money(cents: number): string {
  return (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function quoteOrNone(v: string | null): string {
  return v === null ? "(none)" : `"${v}"`;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export class ImportService {
  private readonly users: UserRepository;
  private readonly repo: ImportRepository;

  constructor(
    db: Db,
    private readonly directory: UserDirectory,
    private readonly defaultTimezone: string,
  ) {
    this.users = new UserRepository(db);
    this.repo = new ImportRepository(db);
  }

  /**
   * The `--owner` user, by Slack id (U…/W…, `<@U…>`) or email; added to the database unless this
   * is a dry run. Null when Slack has no such (active) user.
   */
  async resolveOwner(workspaceId: number, idOrEmail: string, dryRun: boolean): Promise<ImportOwner | null> {
    const v = idOrEmail.trim().replace(/^<@([A-Z0-9]+)(\|[^>]*)?>$/i, "$1").replace(/^@/, "");
    let slackUserId = v;
    if (isEmail(v)) {
      const hit = await this.directory.findByEmail(v);
      if (!hit || hit.deleted) return null;
      slackUserId = hit.slackUserId;
    }
    const existing = await this.users.findBySlackId(workspaceId, slackUserId);
    if (existing && !existing.inactive) return { slackUserId, userId: existing.id, label: `${slackUserId}${existing.email ? ` (${existing.email})` : ""}` };
    const profile = await this.directory.profile(slackUserId);
    if (!profile || profile.inactive) return null;
    const user = dryRun ? null : await this.users.upsertFromSlack(workspaceId, profile);
    return { slackUserId, userId: user?.id ?? existing?.id ?? null, label: `${slackUserId}${profile.email ? ` (${profile.email})` : ""}` };
  }

  /** Imports a CSV file. Throws ImportError when the file cannot be read or has no usable header. */
  async importFile(path: string, options: ImportOptions): Promise<ImportReport> {
    const started = Date.now();
    let source: CsvSource;
    try {
      source = await openCsv(path);
    } catch (error) {
      if (error instanceof CsvFileError) throw new ImportError(error.message);
      throw error;
    }
    let mapping: ColumnMapping;
    try {
      mapping = mapColumns(source.header);
    } catch (error) {
      if (error instanceof HeaderError) throw new ImportError(`${path}: ${error.message}`);
      throw error;
    }
    const report: ImportReport = {
      file: path,
      format: mapping.format,
      formatLabel: formatLabel(mapping.format),
      delimiter: source.delimiter,
      encoding: source.encoding,
      recognised: mapping.recognised,
      ignored: mapping.ignored,
      dryRun: options.dryRun,
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      problems: [],
      changes: [],
      changesOmitted: 0,
      ownersAdded: [],
      ownersNotFound: [],
      accountsCreatedForContacts: 0,
      durationMs: 0,
    };
    options.onStart?.(report);
    const run = new ImportRun(this.repo, this.users, this.directory, { ...options, defaultTimezone: this.defaultTimezone }, report);
    // German Excel writes "1.234,56" and separates with ";": read amounts the German way there.
    const ctx: RowContext = {
      mapping,
      locale: source.delimiter === ";" ? "de-DE" : "en-US",
      ...(options.currency ? { currency: options.currency } : {}),
      currencyMismatch: options.currencyMismatch ?? "refuse",
    };
    const width = source.header.length;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const seen = new Map<string, number>();
    let batch: Pending[] = [];
    const progress = () => options.onProgress?.({ bytesRead: source.bytesRead(), totalBytes: source.totalBytes, rows: report.rows });

    try {
      for await (const { line, fields } of source.records) {
        // Rows of empty cells (";;;;" left over by Excel) are blank lines, not bad rows.
        if (fields.every((f) => f.trim() === "")) continue;
        report.rows++;
        if (fields.length > width && fields.slice(width).some((f) => f.trim() !== "")) {
          run.skip(line, `has ${fields.length} fields but the header has ${width} (a value with an unquoted "${source.delimiter === "\t" ? "TAB" : source.delimiter}"?)`);
          continue;
        }
        const parsed = parseRow(fields, ctx);
        if (!parsed.ok) {
          run.skip(line, parsed.reason);
          continue;
        }
        const key = `${parsed.row.type}|${parsed.row.externalId}`;
        const first = seen.get(key);
        if (first !== undefined) {
          run.skip(line, `duplicate of line ${first} (same ${parsed.row.externalId.startsWith("hash:") ? "name and owner" : `id ${parsed.row.externalId}`})`);
          continue;
        }
        seen.set(key, line);
        batch.push({ line, row: parsed.row });
        if (batch.length >= batchSize) {
          await run.flush(batch);
          batch = [];
          progress();
        }
      }
      await run.flush(batch);
    } catch (error) {
      if (error instanceof CsvFileError) throw new ImportError(error.message);
      throw error;
    }
    progress();
    for (const p of source.parseProblems) {
      report.rows++;
      run.skip(p.line, p.reason);
    }
    report.problems.sort((a, b) => a.line - b.line);
    report.changes.sort((a, b) => a.line - b.line);
    report.ownersAdded.sort();
    report.ownersNotFound.sort();
    report.durationMs = Date.now() - started;
    return report;
  }
}

/** The state of one import: owner cache, accounts planned for contacts, counters. */
class ImportRun {
  private readonly owners = new Map<string, Promise<OwnerLookup>>();
  /** Accounts created (or, in a dry run, planned) for contact rows, by external id. */
  private readonly planned = new Map<string, { id: number | null; ownerId: number | null }>();
  private readonly plannedByName = new Map<string, string>();
  /** App-created accounts already linked to a row of this file. */
  private readonly linked = new Set<number>();

  constructor(
    private readonly repo: ImportRepository,
    private readonly users: UserRepository,
    private readonly directory: UserDirectory,
    private readonly options: ImportOptions & { defaultTimezone: string },
    private readonly report: ImportReport,
  ) {}

  skip(line: number, reason: string): void {
    this.report.skipped++;
    this.report.problems.push({ line, reason });
  }

  private change(c: RowChange): void {
    if (this.report.changes.length < MAX_CHANGES_LISTED) this.report.changes.push(c);
    else this.report.changesOmitted++;
  }

  private lookup(email: string): Promise<OwnerLookup> {
    let p = this.owners.get(email);
    if (!p) {
      p = this.resolveEmail(email);
      this.owners.set(email, p);
    }
    return p;
  }

  private async resolveEmail(email: string): Promise<OwnerLookup> {
    const hit = await this.directory.findByEmail(email);
    if (!hit) {
      this.report.ownersNotFound.push(email);
      return { ok: false, reason: `owner ${email} is not a member of this Slack workspace` };
    }
    if (hit.deleted) {
      this.report.ownersNotFound.push(email);
      return { ok: false, reason: `owner ${email} is deactivated in Slack` };
    }
    const ws = this.options.workspaceId;
    const label = `${hit.slackUserId} (${email})`;
    const existing = await this.users.findBySlackId(ws, hit.slackUserId);
    if (existing) return { ok: true, owner: { slackUserId: hit.slackUserId, userId: existing.id, label } };
    const profile = (await this.directory.profile(hit.slackUserId)) ?? null;
    this.report.ownersAdded.push(email);
    if (this.options.dryRun) return { ok: true, owner: { slackUserId: hit.slackUserId, userId: null, label } };
    const user = await this.users.upsertFromSlack(
      ws,
      profile ?? { slackUserId: hit.slackUserId, name: null, email, timezone: this.options.defaultTimezone, locale: "en-US", isSlackAdmin: false, inactive: false },
    );
    return { ok: true, owner: { slackUserId: hit.slackUserId, userId: user.id, label } };
  }

  private async ownerOf(row: ImportRow): Promise<RowOwner> {
    const fallback = this.options.fallbackOwner;
    const hint = "pass --owner <Slack user id> to give such rows to someone";
    if (row.ownerEmail) {
      const r = await this.lookup(row.ownerEmail);
      if (r.ok) return { owner: r.owner, fromFile: true };
      return fallback ? { owner: fallback, fromFile: false } : { reason: `${r.reason} (${hint})` };
    }
    if (fallback) return { owner: fallback, fromFile: false };
    return {
      reason: row.ownerLabel
        ? `no owner email: the owner column says "${row.ownerLabel}", which cannot be matched to a Slack user (add an owner email column such as "Account Owner Email", or ${hint})`
        : `no owner email (add an owner email column such as "Account Owner Email", or ${hint})`,
    };
  }

  /** Plans one batch against the database and, unless this is a dry run, writes it. */
  async flush(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const ws = this.options.workspaceId;
    const emails = [...new Set(batch.map((p) => p.row.ownerEmail).filter((e): e is string => e !== null))];
    await pool(emails, LOOKUP_CONCURRENCY, (e) => this.lookup(e));

    const accountRows = batch.filter((p): p is { line: number; row: AccountRow } => p.row.type === "account");
    const contactRows = batch.filter((p): p is { line: number; row: ContactRow } => p.row.type === "contact");
    const externalIds = new Set<string>();
    for (const { row } of accountRows) externalIds.add(row.externalId);
    for (const { row } of contactRows) {
      if (row.company?.externalId) externalIds.add(row.company.externalId);
      if (!row.company) externalIds.add(row.externalId);
    }
    const byExternalId = new Map((await this.repo.accountsByExternalIds(ws, [...externalIds])).map((a) => [a.externalId!, a]));
    const newNameKeys = accountRows.filter((p) => !byExternalId.has(p.row.externalId)).map((p) => p.row.nameKey);
    const unlinked = await this.repo.accountsByNameKeys(ws, [...new Set(newNameKeys)], true);
    const companyKeys = contactRows.map((p) => p.row.company?.nameKey).filter((k): k is string => !!k);
    const named = await this.repo.accountsByNameKeys(ws, [...new Set(companyKeys)], false);
    const contacts = new Map(
      (await this.repo.contactsByExternalIds(ws, contactRows.map((p) => p.row.externalId))).map((c) => [c.externalId!, c]),
    );

    const writes: WriteBatch = { createAccounts: [], updateAccounts: [], createContacts: [], updateContacts: [] };
    const createdHere: string[] = [];
    for (const { line, row } of accountRows) await this.planAccount(line, row, byExternalId.get(row.externalId), unlinked, writes);
    for (const { line, row } of contactRows) {
      await this.planContact(line, row, { byExternalId, named, contact: contacts.get(row.externalId) }, writes, createdHere);
    }

    if (this.options.dryRun) return;
    const created = await this.repo.apply(writes);
    for (const ext of createdHere) {
      const entry = this.planned.get(ext);
      const id = created.get(ext);
      if (entry && id !== undefined) entry.id = id;
    }
  }

  private accountDiff(existing: ImportedAccount, row: AccountRow, owner: RowOwner): { data: WriteBatch["updateAccounts"][number]["data"]; details: string[] } {
    const data: WriteBatch["updateAccounts"][number]["data"] = {};
    const details: string[] = [];
    if (existing.name !== row.name) {
      data.name = row.name;
      data.nameKey = row.nameKey;
      details.push(`name "${existing.name}" → "${row.name}"`);
    }
    if (row.industry !== undefined && row.industry !== existing.industry) {
      data.industry = row.industry;
      details.push(`industry ${quoteOrNone(existing.industry)} → "${row.industry}"`);
    }
    if (row.tier !== undefined && row.tier !== existing.tier) {
      data.tier = row.tier;
      details.push(`tier ${existing.tier} → ${row.tier}`);
    }
    if (row.annualValueCents !== undefined && row.annualValueCents !== existing.annualValueCents) {
      data.annualValueCents = row.annualValueCents;
      details.push(`annual revenue ${money(existing.annualValueCents)} → ${money(row.annualValueCents)}`);
    }
    if (row.kind !== undefined && row.kind !== existing.kind) {
      data.kind = row.kind;
      details.push(`kind ${existing.kind} → ${row.kind}`);
    }
    // Only an owner named in the file moves an account; the --owner fallback never does.
    if ("owner" in owner && owner.fromFile && owner.owner.userId !== existing.ownerId) {
      if (owner.owner.userId !== null) data.ownerId = owner.owner.userId;
      details.push(`owner → ${owner.owner.label}`);
    }
    return { data, details };
  }

  private async planAccount(line: number, row: AccountRow, existing: ImportedAccount | undefined, unlinked: ImportedAccount[], writes: WriteBatch): Promise<void> {
    const owner = await this.ownerOf(row);
    if (existing) {
      const { data, details } = this.accountDiff(existing, row, owner);
      if (details.length === 0) {
        this.report.unchanged++;
        return;
      }
      this.report.updated++;
      writes.updateAccounts.push({ id: existing.id, data });
      this.change({ line, action: "update", entity: "account", externalId: row.externalId, name: row.name, details });
      return;
    }
    if ("reason" in owner) {
      this.skip(line, owner.reason);
      return;
    }
    const appAccount = unlinked.find((a) => a.nameKey === row.nameKey && a.ownerId === owner.owner.userId && !this.linked.has(a.id));
    if (appAccount) {
      this.linked.add(appAccount.id);
      const { data, details } = this.accountDiff(appAccount, row, owner);
      this.report.updated++;
      writes.updateAccounts.push({ id: appAccount.id, data: { ...data, externalId: row.externalId } });
      this.change({
        line,
        action: "update",
        entity: "account",
        externalId: row.externalId,
        name: row.name,
        details: [`linked to account #${appAccount.id} created in the app`, ...details],
      });
      return;
    }
    this.report.created++;
    const create = {
      workspaceId: this.options.workspaceId,
      ownerId: owner.owner.userId ?? 0,
      externalId: row.externalId,
      name: row.name,
      nameKey: row.nameKey,
      kind: row.kind ?? "company",
      tier: row.tier ?? "standard",
      annualValueCents: row.annualValueCents ?? 0,
      industry: row.industry ?? null,
    };
    writes.createAccounts.push(create);
    this.change({
      line,
      action: "create",
      entity: "account",
      externalId: row.externalId,
      name: row.name,
      details: [
        `owner ${owner.owner.label}${owner.fromFile ? "" : " (--owner)"}`,
        `tier ${create.tier}`,
        ...(create.annualValueCents > 0 ? [`annual revenue ${money(create.annualValueCents)}`] : []),
        ...(create.industry ? [`industry "${create.industry}"`] : []),
        ...(create.kind !== "company" ? [`kind ${create.kind}`] : []),
      ],
    });
  }

  /** The account a contact belongs to: found, planned earlier in this run, or planned now. */
  private async accountForContact(
    row: ContactRow,
    found: { byExternalId: Map<string, ImportedAccount>; named: ImportedAccount[] },
    writes: WriteBatch,
    createdHere: string[],
  ): Promise<{ ref: AccountRef; existing?: ImportedAccount; created: boolean } | { reason: string }> {
    const refOf = (ext: string): AccountRef | null => {
      const p = this.planned.get(ext);
      if (!p) return null;
      return p.id !== null ? { id: p.id } : { externalId: ext };
    };
    const company = row.company;
    const wanted = company ? company.externalId : row.externalId;
    if (wanted) {
      const existing = found.byExternalId.get(wanted);
      if (existing) return { ref: { id: existing.id }, existing, created: false };
      const planned = refOf(wanted);
      if (planned) return { ref: planned, created: false };
    }
    let owner: RowOwner | undefined;
    if (company && company.nameKey) {
      const plannedExt = this.plannedByName.get(company.nameKey);
      const planned = plannedExt ? refOf(plannedExt) : null;
      if (planned) return { ref: planned, created: false };
      const candidates = found.named.filter((a) => a.nameKey === company.nameKey);
      if (candidates.length > 0) {
        owner = await this.ownerOf(row);
        const ownerId = "owner" in owner ? owner.owner.userId : null;
        const pick = candidates.find((a) => a.ownerId === ownerId) ?? candidates[0]!;
        return { ref: { id: pick.id }, existing: pick, created: false };
      }
    }
    if (company && !company.name) return { reason: `company ${company.externalId ?? ""} is not in the app and the row has no company name` };
    owner ??= await this.ownerOf(row);
    if ("reason" in owner) return { reason: `${company ? `company "${company.name}" is not in the app yet and ` : ""}${owner.reason}` };
    const ext = company ? (company.externalId ?? hashId(company.nameKey, null)) : row.externalId;
    const ownerId = owner.owner.userId;
    this.planned.set(ext, { id: null, ownerId });
    if (company) this.plannedByName.set(company.nameKey, ext);
    createdHere.push(ext);
    writes.createAccounts.push({
      workspaceId: this.options.workspaceId,
      ownerId: ownerId ?? 0,
      externalId: ext,
      name: company ? company.name : row.name,
      nameKey: company ? company.nameKey : row.nameKey,
      kind: company ? "company" : "individual",
      tier: "standard",
      annualValueCents: 0,
      industry: null,
    });
    this.report.accountsCreatedForContacts++;
    return { ref: { externalId: ext }, created: true };
  }

  private async planContact(
    line: number,
    row: ContactRow,
    found: { byExternalId: Map<string, ImportedAccount>; named: ImportedAccount[]; contact: ImportedContact | undefined },
    writes: WriteBatch,
    createdHere: string[],
  ): Promise<void> {
    const target = await this.accountForContact(row, found, writes, createdHere);
    if ("reason" in target) {
      this.skip(line, target.reason);
      return;
    }
    const accountLabel = row.company ? `company "${row.company.name || row.company.externalId}"` : "individual account";
    const existing = found.contact;
    if (!existing) {
      this.report.created++;
      writes.createContacts.push({
        account: target.ref,
        externalId: row.externalId,
        name: row.name,
        nameKey: row.nameKey,
        email: row.email ?? null,
        title: row.title ?? null,
        phone: row.phone ?? null,
      });
      this.change({
        line,
        action: "create",
        entity: "contact",
        externalId: row.externalId,
        name: row.name,
        details: [`${target.created ? "new " : ""}${accountLabel}`, ...(row.title ? [`title "${row.title}"`] : []), ...(row.email ? [row.email] : [])],
      });
      return;
    }
    const details: string[] = [];
    const data: WriteBatch["updateContacts"][number]["data"] = {};
    if (existing.name !== row.name) {
      data.name = row.name;
      data.nameKey = row.nameKey;
      details.push(`name "${existing.name}" → "${row.name}"`);
    }
    for (const field of ["email", "title", "phone"] as const) {
      const v = row[field];
      if (v !== undefined && v !== existing[field]) {
        data[field] = v;
        details.push(`${field} ${quoteOrNone(existing[field])} → "${v}"`);
      }
    }
    const moved = !("id" in target.ref) || target.ref.id !== existing.accountId;
    if (moved) details.push(`moved to ${target.created ? "new " : ""}${accountLabel}`);
    // An individual account is named after its person: keep the two in step.
    if (!row.company && target.existing && target.existing.name !== row.name) {
      writes.updateAccounts.push({ id: target.existing.id, data: { name: row.name, nameKey: row.nameKey } });
      details.push(`individual account renamed "${target.existing.name}" → "${row.name}"`);
    }
    if (details.length === 0) {
      this.report.unchanged++;
      return;
    }
    this.report.updated++;
    writes.updateContacts.push({ id: existing.id, data, ...(moved ? { account: target.ref } : {}) });
    this.change({ line, action: "update", entity: "contact", externalId: row.externalId, name: row.name, details });
  }
}
