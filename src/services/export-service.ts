import type { Db } from "../db/client.js";
import { ExportRepository } from "../db/repositories/export-repository.js";
import { centsToDecimal, csvLine } from "../domain/csv.js";

/**
 * `ae-assistant export <accounts|touches|deals|gifts>`: one row per record, streamed page by page.
 * Money is decimal major units with the workspace currency next to it; instants are ISO 8601 UTC;
 * local dates stay YYYY-MM-DD. The accounts export uses column names the importer recognises, so it
 * can be imported into another installation (external ids are kept).
 */

export const EXPORT_KINDS = ["accounts", "touches", "deals", "gifts"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = "csv" | "json";

/** An amount: "1234.50" in CSV, 1234.5 in JSON. */
export interface Amount {
  decimal: string;
}
export type Cell = string | number | boolean | null | Amount;
export type ExportRow = Record<string, Cell>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const amount = (cents: bigint): Amount => ({ decimal: centsToDecimal(cents) });

export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  accounts: [
    "id", "external_id", "account_name", "kind", "tier", "industry", "annual_revenue", "currency", "owner_email",
    "owner_slack_id", "owner_name", "archived", "last_touch_at", "snoozed_until", "created_at", "updated_at",
  ],
  touches: [
    "id", "occurred_at", "kind", "account_id", "account_name", "account_external_id", "user_slack_id", "user_email",
    "note", "source", "source_ref", "participants", "created_at",
  ],
  deals: [
    "id", "title", "amount", "currency", "stage", "status", "account_id", "account_name", "account_external_id",
    "owner_slack_id", "owner_email", "expected_close_at", "won_at", "lost_at", "lost_reason", "created_at", "updated_at",
  ],
  gifts: [
    "id", "given_on", "kind", "recipient_name", "contact_name", "amount", "currency", "description", "account_id",
    "account_name", "account_external_id", "user_slack_id", "user_email", "over_limit", "override_reason", "created_at",
  ],
};

export class ExportService {
  private readonly repo: ExportRepository;

  constructor(db: Db, pageSize?: number) {
    this.repo = new ExportRepository(db, pageSize);
  }

  workspaces() {
    return this.repo.workspaces();
  }

  async *rows(kind: ExportKind, workspace: { id: number; currency: string }): AsyncGenerator<ExportRow> {
    const currency = workspace.currency;
    switch (kind) {
      case "accounts":
        for await (const a of this.repo.accounts(workspace.id)) {
          yield {
            id: a.id, external_id: a.externalId, account_name: a.name, kind: a.kind, tier: a.tier, industry: a.industry,
            annual_revenue: amount(a.annualValueCents), currency, owner_email: a.owner.email, owner_slack_id: a.owner.slackUserId,
            owner_name: a.owner.name, archived: a.archived, last_touch_at: iso(a.lastTouchAt), snoozed_until: iso(a.snoozedUntil),
            created_at: iso(a.createdAt), updated_at: iso(a.updatedAt),
          };
        }
        return;
      case "touches":
        for await (const t of this.repo.touches(workspace.id)) {
          yield {
            id: t.id, occurred_at: iso(t.occurredAt), kind: t.kind, account_id: t.account.id, account_name: t.account.name,
            account_external_id: t.account.externalId, user_slack_id: t.user.slackUserId, user_email: t.user.email, note: t.note,
            source: t.source, source_ref: t.sourceRef, participants: t.participants.map((p) => p.slackUserId).join(" "),
            created_at: iso(t.createdAt),
          };
        }
        return;
      case "deals":
        for await (const d of this.repo.deals(workspace.id)) {
          yield {
            id: d.id, title: d.title, amount: amount(d.amountCents), currency, stage: d.stage, status: d.status,
            account_id: d.account.id, account_name: d.account.name, account_external_id: d.account.externalId,
            owner_slack_id: d.owner.slackUserId, owner_email: d.owner.email, expected_close_at: iso(d.expectedCloseAt),
            won_at: iso(d.wonAt), lost_at: iso(d.lostAt), lost_reason: d.lostReason, created_at: iso(d.createdAt), updated_at: iso(d.updatedAt),
          };
        }
        return;
      case "gifts":
        for await (const g of this.repo.gifts(workspace.id)) {
          yield {
            id: g.id, given_on: g.givenOn, kind: g.kind, recipient_name: g.recipientName, contact_name: g.contact?.name ?? null,
            amount: amount(g.amountCents), currency, description: g.description, account_id: g.account.id,
            account_name: g.account.name, account_external_id: g.account.externalId, user_slack_id: g.user.slackUserId,
            user_email: g.user.email, over_limit: g.overLimit, override_reason: g.overrideReason, created_at: iso(g.createdAt),
          };
        }
        return;
    }
  }
}

function isAmount(v: Cell): v is Amount {
  return typeof v === "object" && v !== null;
}

/** Where the lines go (a file or stdout); `write` resolves when the line may be followed by more. */
export interface LineSink {
  write(line: string): Promise<void> | void;
}

/** Streams rows as CSV (header first) or as a JSON array (one object per line); returns the row count. */
export async function writeExport(rows: AsyncIterable<ExportRow>, columns: string[], format: ExportFormat, sink: LineSink): Promise<number> {
  let count = 0;
  if (format === "csv") {
    await sink.write(csvLine(columns));
    for await (const row of rows) {
      await sink.write(csvLine(columns.map((c) => {
        const v = row[c] ?? null;
        return isAmount(v) ? v.decimal : v;
      })));
      count++;
    }
    return count;
  }
  await sink.write("[");
  let previous: string | undefined;
  for await (const row of rows) {
    const obj = Object.fromEntries(columns.map((c) => {
      const v = row[c] ?? null;
      return [c, isAmount(v) ? Number(v.decimal) : v];
    }));
    if (previous !== undefined) await sink.write(`  ${previous},`);
    previous = JSON.stringify(obj);
    count++;
  }
  if (previous !== undefined) await sink.write(`  ${previous}`);
  await sink.write("]");
  return count;
}
