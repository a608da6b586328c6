import { centsToDecimal } from "../domain/csv.js";
import { normalizeName } from "../domain/names.js";
import { chainPurgeOn, effectiveGiftYears, OUTBOX_KEEP_DAYS, retentionCutoffs, retentionDue, type RetentionSettings } from "../domain/retention.js";
import { addLocalMonths, localDateOf, startOfLocalDate, type LocalDate } from "../domain/time.js";
import { withoutValues } from "../db/audit/audit-scope.js";
import type { AuditEventRecord, AuditRepository } from "../db/repositories/audit-repository.js";
import type { ContactRow, GiftRow, PrivacyRepository, TextMatch, UserData } from "../db/repositories/privacy-repository.js";
import type { User } from "../db/repositories/user-repository.js";
import type { Workspace, WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import { retentionOf } from "./workspace-settings-service.js";

/**
 * Answering a person's requests (README → Data protection): access and portability (GDPR Art. 15
 * and 20: everything stored about them, as JSON), erasure (Art. 17) with the records a legal
 * obligation keeps restricted instead (Art. 17(3)(b): FINRA Rule 3220 gift records, kept under
 * Rule 4511), and the retention purges. Only admins run them; every run is itself audited, with
 * record ids and counts but never the name or e-mail it was asked about.
 */

/** Who the request is about: a client contact (by name or e-mail) or a rep (by Slack id). */
export type PersonSelector = { contact: string } | { email: string } | { user: string };

export function selectorKind(s: PersonSelector): "contact" | "email" | "user" {
  return "contact" in s ? "contact" : "email" in s ? "email" : "user";
}

/** What was found for the selector. */
export interface PersonRecords {
  contacts: ContactRow[];
  /** Individual (private client) accounts that are the person. */
  individualAccounts: { id: number; name: string }[];
  gifts: GiftRow[];
  /** Reps of the bot that the selector names (--user, or --email matching a rep). */
  users: User[];
  /** Names and e-mail addresses searched for in free text. */
  needles: string[];
  possibleMatches: TextMatch[];
}

export type AdminCheck = { ok: true; admin: User } | { ok: false; problem: "unknown_user" | "not_admin" | "inactive" };

export interface GiftDecision {
  gift: GiftRow;
  /** The first day the record may be removed (the chain's). */
  purgeOn: LocalDate;
  /** "erase": its retention has passed; "restrict": kept until purgeOn; "keep": a rep's record, not the person's. */
  decision: "erase" | "restrict" | "already_restricted";
}

export interface ErasurePlan {
  selector: "contact" | "email" | "user";
  contacts: ContactRow[];
  individualAccounts: { id: number; name: string }[];
  gifts: GiftDecision[];
  user: ErasureUserPlan | null;
  possibleMatches: TextMatch[];
  /** The names and e-mail addresses the possible matches were searched for. */
  needles: string[];
  /** Nothing matched at all. */
  empty: boolean;
}

export interface ErasureUserPlan {
  user: User;
  /** Refused: the user is still active in Slack. */
  active: boolean;
  quotas: number;
  compPlans: number;
  teams: number;
  participations: number;
  /** Accounts they still own (they stay, as the company's; the manager sees them as needing a new owner). */
  accountsOwned: number;
  /** Gift records they gave inside retention: their name and Slack id are kept until the last one's purge date. */
  giftsInRetention: number;
  keepIdentityUntil: LocalDate | null;
}

export interface ErasureResult {
  plan: ErasurePlan;
  erased: { contacts: number; gifts: number; accounts: number; redacted: number; user: boolean };
  restricted: number;
}

export interface RetentionPlan {
  workspaceId: number;
  today: LocalDate;
  settings: RetentionSettings;
  touchNotes: { before: LocalDate; count: number };
  closedDeals: { before: LocalDate; ids: number[] };
  gifts: { ids: number[]; restricted: number };
  departed: { before: LocalDate; users: { id: number; slackUserId: string; name: string | null; inactiveSince: Date | null }[] };
  /** Erased reps whose name was kept only for gift records that are gone now. */
  identities: number[];
}

const ISO = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);


/** Purge dates of gift entries, by correction chain, in the workspace's zone. */
function giftPurgeDates(ws: Workspace, gifts: readonly GiftRow[]): Map<number, LocalDate> {
  const byId = new Map(gifts.map((g) => [g.id, g]));
  const root = (g: GiftRow): number => {
    let current = g;
    for (let i = 0; i < gifts.length && current.correctsId !== null && byId.has(current.correctsId); i++) current = byId.get(current.correctsId)!;
    return current.id;
  };
  const chains = new Map<number, GiftRow[]>();
  for (const g of gifts) chains.set(root(g), [...(chains.get(root(g)) ?? []), g]);
  const out = new Map<number, LocalDate>();
  for (const chain of chains.values()) {
    const date = chainPurgeOn(
      chain.map((g) => ({ givenOn: g.givenOn, recordedOn: localDateOf(g.createdAt, ws.timezone) })),
      ws.retentionGiftYears,
    );
    for (const g of chain) out.set(g.id, date);
  }
  return out;
}

export class PrivacyService {
  constructor(
    private readonly repo: PrivacyRepository,
    private readonly audit: AuditRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly now: () => Date,
  ) {}

  /** Workspaces whose daily purge is due at `now` (read fresh: another replica may have run it). */
  async workspacesDueForRetention(now: Date): Promise<Workspace[]> {
    return (await this.workspaces.list()).filter((ws) => retentionDue(ws.retentionRanOn, now, ws.timezone));
  }

  /** The daily purge of one workspace, then its "done today" mark. */
  async runRetention(ws: Workspace, now: Date): Promise<RetentionPlan> {
    const plan = await this.purge(ws, now);
    await this.workspaces.update(ws.id, { retentionRanOn: plan.today });
    return plan;
  }

  /**
   * The admin a CLI run names with `--as <Slack id>`: a privacy operation runs only for an admin
   * of the workspace (the bot's admin role, or a Slack workspace admin) who is still active.
   */
  async checkAdmin(ws: Workspace, slackUserId: string): Promise<AdminCheck> {
    const user = await this.repo.userBySlackId(ws.id, slackUserId);
    if (!user) return { ok: false, problem: "unknown_user" };
    if (user.inactive || user.erasedAt) return { ok: false, problem: "inactive" };
    if (user.role !== "admin" && !user.isSlackAdmin) return { ok: false, problem: "not_admin" };
    return { ok: true, admin: user };
  }

  /** Everything the selector finds. */
  async locate(ws: Workspace, selector: PersonSelector): Promise<PersonRecords> {
    let contacts: ContactRow[] = [];
    let users: User[] = [];
    const needles = new Set<string>();
    if ("contact" in selector) {
      contacts = await this.repo.contactsByName(ws.id, normalizeName(selector.contact));
      needles.add(selector.contact.trim());
    } else if ("email" in selector) {
      contacts = await this.repo.contactsByEmail(ws.id, selector.email);
      users = await this.repo.usersByEmail(ws.id, selector.email);
      needles.add(selector.email.trim());
    } else {
      const user = await this.repo.userBySlackId(ws.id, selector.user);
      if (user) users = [user];
    }
    for (const c of contacts) {
      needles.add(c.name);
      if (c.email) needles.add(c.email);
    }
    for (const u of users) {
      if (u.name) needles.add(u.name);
      if (u.email) needles.add(u.email);
    }
    const nameKeys = [...new Set([...contacts.map((c) => c.nameKey), ...("contact" in selector ? [normalizeName(selector.contact)] : [])])].filter(Boolean);
    const accountIds = contacts.filter((c) => c.account.kind === "individual").map((c) => c.accountId);
    const [gifts, individual, possibleMatches] = await Promise.all([
      "user" in selector ? Promise.resolve([]) : this.repo.giftsTo(ws.id, contacts.map((c) => c.id), nameKeys),
      "user" in selector ? Promise.resolve([]) : this.repo.individualAccounts(ws.id, nameKeys, accountIds),
      this.repo.textMatches(ws.id, [...needles]),
    ]);
    return { contacts, individualAccounts: individual.map((a) => ({ id: a.id, name: a.name })), gifts, users, needles: [...needles], possibleMatches };
  }

  /**
   * Access and portability (Art. 15, 20): everything stored about the person, as plain data for
   * JSON. Restricted gift records are included (the person may see them); possible matches in
   * free text are listed separately and flagged as such. Audited.
   */
  async exportPerson(ws: Workspace, selector: PersonSelector): Promise<Record<string, unknown>> {
    const found = await this.locate(ws, selector);
    const purge = giftPurgeDates(ws, found.gifts);
    const activity = await this.repo.activityOn(found.individualAccounts.map((a) => a.id));
    const users: Record<string, unknown>[] = [];
    for (const u of found.users) users.push(this.userSection(await this.repo.userData(u), await this.repo.giftsGivenBy(u.id), ws));
    const trail = [
      ...(await this.audit.forEntities("contact", found.contacts.map((c) => String(c.id)))),
      ...(await this.audit.forEntities("account", found.individualAccounts.map((a) => String(a.id)))),
      ...(await this.audit.forEntities("gift", found.gifts.map((g) => String(g.id)))),
      ...(await this.audit.forEntities("user", found.users.map((u) => String(u.id)))),
    ].sort((a, b) => a.id - b.id);
    await this.audit.record({
      entity: "privacy",
      action: "export",
      workspaceId: ws.id,
      details: { selector: selectorKind(selector), contacts: found.contacts.map((c) => c.id), accounts: found.individualAccounts.map((a) => a.id), gifts: found.gifts.map((g) => g.id), users: found.users.map((u) => u.id), possibleMatches: found.possibleMatches.length },
      note: "GDPR Art. 15/20 access request",
    });
    return {
      generatedAt: this.now().toISOString(),
      workspace: { slackTeamId: ws.slackTeamId, name: ws.name },
      request: selector,
      contacts: found.contacts.map((c) => ({
        id: c.id, name: c.name, email: c.email, title: c.title, phone: c.phone, externalId: c.externalId, archived: c.archived,
        account: { id: c.account.id, name: c.account.name, kind: c.account.kind }, createdAt: ISO(c.createdAt), updatedAt: ISO(c.updatedAt),
      })),
      individualAccounts: found.individualAccounts,
      activityOnIndividualAccounts: {
        touches: activity.touches.map((t) => ({ id: t.id, accountId: t.accountId, kind: t.kind, occurredAt: ISO(t.occurredAt), note: t.note, source: t.source })),
        followUps: activity.followUps.map((f) => ({ id: f.id, accountId: f.accountId, title: f.title, dueAt: ISO(f.dueAt), status: f.status })),
        deals: activity.deals.map((d) => ({ id: d.id, accountId: d.accountId, title: d.title, amount: Number(centsToDecimal(d.amountCents)), stage: d.stage, status: d.status, lostReason: d.lostReason })),
      },
      gifts: found.gifts.map((g) => this.giftSection(g, ws, purge.get(g.id) ?? null)),
      users,
      possibleMatches: found.possibleMatches.map((m) => ({ ...m, at: ISO(m.at), flag: "possible match: contains the name or e-mail address; may be about someone else" })),
      auditTrail: trail.map(trailEntry),
      notes: [
        "Touch participants are colleagues named in Slack (`with @…`); client contacts are never linked as participants, so for a contact this section is empty and the touches appear under possibleMatches when their notes name the person.",
        "Restricted gift records are kept for the firm's FINRA Rule 3220/4511 obligation and purged on purgeOn.",
      ],
    };
  }

  private giftSection(g: GiftRow, ws: Workspace, purgeOn: LocalDate | null): Record<string, unknown> {
    return {
      id: g.id, givenOn: g.givenOn, kind: g.kind, recipientName: g.recipientName, amount: Number(centsToDecimal(g.amountCents)), currency: ws.currency,
      description: g.description, account: { id: g.accountId, name: g.accountName }, givenBy: g.userName ? `${g.userName} (${g.userSlackId})` : g.userSlackId,
      overLimit: g.overLimit, overrideReason: g.overrideReason, correctsId: g.correctsId, correctedById: g.correctedById, correctionReason: g.correctionReason,
      restricted: g.restrictedAt !== null, restrictionReason: g.restrictionReason, purgeOn, recordedAt: ISO(g.createdAt),
    };
  }

  private userSection(d: UserData, given: GiftRow[], ws: Workspace): Record<string, unknown> {
    const u = d.user;
    const purge = giftPurgeDates(ws, given);
    return {
      profile: { id: u.id, slackUserId: u.slackUserId, name: u.name, email: u.email, timezone: u.timezone, timezoneOverride: u.timezoneOverride, locale: u.locale, language: u.language, role: u.role, isSlackAdmin: u.isSlackAdmin, inactive: u.inactive, inactiveSince: ISO(u.inactiveSince), erasedAt: ISO(u.erasedAt), hiredOn: u.hiredOn, createdAt: ISO(u.createdAt) },
      reminderSettings: { time: u.reminderTime, days: u.reminderDays, paused: u.remindersPaused, skipDates: u.reminderSkipDates },
      teams: d.teams,
      quotas: d.quotas.map((q) => ({ periodType: q.periodType, periodStart: q.periodStart, amount: Number(centsToDecimal(q.amountCents)), rampFactor: q.rampFactor })),
      compPlans: d.compPlans.map((c) => ({ effectiveFrom: c.effectiveFrom, periodType: c.periodType, baseSalary: Number(centsToDecimal(c.baseSalaryCents)), commissionRate: c.commissionRate, acceleratorMultiplier: c.acceleratorMultiplier, deceleratorThreshold: c.deceleratorThreshold, deceleratorMultiplier: c.deceleratorMultiplier, bonuses: c.bonuses })),
      accountsOwned: d.accountsOwned,
      touchesLogged: d.touchesLogged.map((t) => ({ id: t.id, account: t.accountName, kind: t.kind, occurredAt: ISO(t.occurredAt), note: t.note, source: t.source })),
      followUps: d.followUps.map((f) => ({ id: f.id, account: f.accountName, title: f.title, dueAt: ISO(f.dueAt), status: f.status })),
      deals: d.deals.map((x) => ({ id: x.id, account: x.accountName, title: x.title, amount: Number(centsToDecimal(x.amountCents)), stage: x.stage, status: x.status })),
      giftsGiven: given.map((g) => this.giftSection(g, ws, purge.get(g.id) ?? null)),
      mentionsInParticipants: d.participations.map((p) => ({ touchId: p.touchId, occurredAt: ISO(p.occurredAt), kind: p.kind, account: p.accountName, loggedBy: p.loggedBySlackId })),
    };
  }

  /** What an erasure would do (the dry run shows it; `erase` does it). */
  async planErasure(ws: Workspace, selector: PersonSelector): Promise<ErasurePlan> {
    const found = await this.locate(ws, selector);
    const today = localDateOf(this.now(), ws.timezone);
    const purge = giftPurgeDates(ws, found.gifts);
    const gifts: GiftDecision[] = found.gifts.map((g) => {
      const purgeOn = purge.get(g.id) ?? today;
      return { gift: g, purgeOn, decision: purgeOn <= today ? "erase" : g.restrictedAt ? "already_restricted" : "restrict" };
    });
    let user: ErasureUserPlan | null = null;
    if ("user" in selector && found.users[0]) {
      const u = found.users[0];
      const data = await this.repo.userData(u);
      const given = await this.repo.giftsGivenBy(u.id);
      const givenPurge = giftPurgeDates(ws, given);
      const kept = given.filter((g) => (givenPurge.get(g.id) ?? today) > today);
      const until = kept.map((g) => givenPurge.get(g.id)!).sort().at(-1) ?? null;
      user = {
        user: u,
        active: !u.inactive,
        quotas: data.quotas.length,
        compPlans: data.compPlans.length,
        teams: data.teams.length,
        participations: data.participations.length,
        accountsOwned: data.accountsOwned.filter((a) => !a.archived).length,
        giftsInRetention: kept.length,
        keepIdentityUntil: until,
      };
    }
    const empty = found.contacts.length === 0 && found.gifts.length === 0 && found.individualAccounts.length === 0 && user === null;
    return { selector: selectorKind(selector), contacts: found.contacts, individualAccounts: found.individualAccounts, gifts, user, possibleMatches: found.possibleMatches, needles: found.needles, empty };
  }

  /**
   * Erasure (Art. 17): contacts deleted; individual accounts made anonymous (notes, follow-up
   * titles and deal titles on them cleared); gift records past their retention deleted, those
   * inside it restricted (Art. 17(3)(b)); a rep's quotas, comp plans, memberships and profile
   * erased. One transaction; the trail records what was erased, never the values. Possible matches
   * in free text are changed only with `redactMatches` (the words may be about someone else).
   * Returns null, changing nothing, when a rep named is still active in Slack.
   */
  async erase(ws: Workspace, selector: PersonSelector, opts: { redactMatches?: boolean } = {}): Promise<ErasureResult | { refused: "user_active"; plan: ErasurePlan }> {
    const plan = await this.planErasure(ws, selector);
    if (plan.user?.active) return { refused: "user_active", plan };
    const at = this.now();
    const toErase = plan.gifts.filter((g) => g.decision === "erase").map((g) => g.gift.id);
    const toRestrict = plan.gifts.filter((g) => g.decision === "restrict");
    let redacted = 0;
    await this.repo.transaction(async (repo) =>
      withoutValues("erasure (GDPR Art. 17)", async () => {
        await repo.deleteContacts(plan.contacts.map((c) => c.id));
        for (const g of toRestrict) {
          await repo.restrictGifts([g.gift.id], at, `erasure requested ${localDateOf(at, ws.timezone)}: kept for FINRA Rule 3220/4511 until ${g.purgeOn} (GDPR Art. 17(3)(b))`);
        }
        await repo.deleteGifts(toErase);
        await repo.anonymiseAccounts(plan.individualAccounts.map((a) => a.id), (id) => `Erased client #${id}`);
        if (opts.redactMatches) redacted = await repo.redact(plan.possibleMatches, plan.needles);
        if (plan.user) await repo.eraseUser(plan.user.user, at, plan.user.giftsInRetention > 0);
        await this.audit.record({
          entity: "privacy",
          action: "erase",
          workspaceId: ws.id,
          details: {
            selector: plan.selector,
            contactsDeleted: plan.contacts.map((c) => c.id),
            accountsAnonymised: plan.individualAccounts.map((a) => a.id),
            giftsDeleted: toErase,
            giftsRestricted: toRestrict.map((g) => ({ id: g.gift.id, purgeOn: g.purgeOn })),
            userErased: plan.user?.user.id ?? null,
            possibleMatches: plan.possibleMatches.length,
            redacted,
          },
          note: toRestrict.length > 0 ? "GDPR Art. 17 erasure; gift records inside retention restricted under Art. 17(3)(b) (FINRA Rule 3220/4511)" : "GDPR Art. 17 erasure",
        });
      }),
    );
    return {
      plan,
      erased: { contacts: plan.contacts.length, gifts: toErase.length, accounts: plan.individualAccounts.length, redacted, user: plan.user !== null },
      restricted: toRestrict.length,
    };
  }

  /** Records a dry run (what was looked at, never the name or e-mail). */
  async recordDryRun(ws: Workspace, plan: ErasurePlan): Promise<void> {
    await this.audit.record({
      entity: "privacy",
      action: "erase-dry-run",
      workspaceId: ws.id,
      details: { selector: plan.selector, contacts: plan.contacts.map((c) => c.id), gifts: plan.gifts.map((g) => g.gift.id), user: plan.user?.user.id ?? null },
    });
  }

  /** What the retention purge removes at `now` (the dry run, and what `purge` then does). */
  async retentionPlan(ws: Workspace, at: Date = this.now()): Promise<RetentionPlan> {
    const settings = retentionOf(ws);
    const c = retentionCutoffs(settings, at, ws.timezone);
    const startOf = (d: LocalDate) => startOfLocalDate(d, ws.timezone);
    const giftCutoff = addLocalMonths(c.today, -12 * effectiveGiftYears(settings.giftYears));
    const candidates = await this.repo.giftsGivenBefore(ws.id, giftCutoff);
    const purge = giftPurgeDates(ws, candidates);
    // A chain goes as a whole, once its date has come.
    const due = candidates.filter((g) => (purge.get(g.id) ?? "9999-12-31") <= c.today);
    const [notes, deals, departed] = await Promise.all([
      this.repo.touchNotesBefore(ws.id, startOf(c.touchNotesBefore)),
      this.repo.closedDealsBefore(ws.id, startOf(c.closedDealsBefore)),
      this.repo.departedBefore(ws.id, startOf(c.departedBefore)),
    ]);
    const dueIds = new Set(due.map((g) => g.id));
    const identities = (await this.repo.erasedIdentitiesNoLongerNeeded(ws.id)).map((u) => u.id);
    return {
      workspaceId: ws.id,
      today: c.today,
      settings,
      touchNotes: { before: c.touchNotesBefore, count: notes },
      closedDeals: { before: c.closedDealsBefore, ids: deals },
      gifts: { ids: [...dueIds].sort((a, b) => a - b), restricted: due.filter((g) => g.restrictedAt !== null).length },
      departed: { before: c.departedBefore, users: departed.map((u) => ({ id: u.id, slackUserId: u.slackUserId, name: u.name, inactiveSince: u.inactiveSince })) },
      identities,
    };
  }

  /**
   * Removes what has expired (`retentionPlan`), in one transaction, and records one event with
   * the counts and ids — also when nothing had expired, so the trail shows the retention running
   * (the purged values are never copied into it). Idempotent: a second run removes nothing.
   * Returns the plan it carried out.
   */
  async purge(ws: Workspace, at: Date = this.now()): Promise<RetentionPlan> {
    const plan = await this.retentionPlan(ws, at);
    await this.repo.transaction(async (repo) =>
      withoutValues("retention purge", async () => {
        const cleared = plan.touchNotes.count > 0 ? await repo.clearTouchNotes(ws.id, startOfLocalDate(plan.touchNotes.before, ws.timezone)) : 0;
        await repo.deleteDeals(plan.closedDeals.ids);
        await repo.deleteGifts(plan.gifts.ids);
        for (const u of plan.departed.users) {
          const user = await repo.userBySlackId(ws.id, u.slackUserId);
          if (!user) continue;
          const given = await repo.giftsGivenBy(user.id);
          const purgeDates = giftPurgeDates(ws, given);
          const keep = given.some((g) => !plan.gifts.ids.includes(g.id) && (purgeDates.get(g.id) ?? plan.today) > plan.today);
          await repo.eraseUser(user, at, keep);
        }
        for (const u of await repo.erasedIdentitiesNoLongerNeeded(ws.id)) await repo.clearIdentity(u);
        const messages = await repo.purgeOutbox(new Date(at.getTime() - OUTBOX_KEEP_DAYS * 86_400_000));
        await this.audit.record({
          entity: "retention",
          action: "purge",
          workspaceId: ws.id,
          details: {
            touchNotesCleared: cleared,
            touchNotesBefore: plan.touchNotes.before,
            closedDealsDeleted: plan.closedDeals.ids,
            closedDealsBefore: plan.closedDeals.before,
            giftsDeleted: plan.gifts.ids,
            restrictedGiftsDeleted: plan.gifts.restricted,
            departedRepsErased: plan.departed.users.map((u) => u.id),
            identitiesCleared: plan.identities,
            outboxMessagesDeleted: messages,
          },
          note: `retention: touch notes ${plan.settings.touchNotesMonths} months, closed deals ${plan.settings.closedDealsMonths} months, departed reps ${plan.settings.departedMonths} months, gifts ${plan.settings.giftYears} years`,
        });
      }),
    );
    return plan;
  }
}

function trailEntry(e: AuditEventRecord): Record<string, unknown> {
  return { id: e.id, at: e.at.toISOString(), actor: e.actorKind, actorUserId: e.actorUserId, detail: e.actorDetail, entity: e.entity, entityId: e.entityId, action: e.action, fields: e.fields, changes: e.changes, values: e.values, note: e.note };
}
