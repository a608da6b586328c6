/**
 * The demo's small, believable dataset: "Northwind Sales", a manager and five account executives in
 * five time zones, selling to advertising, financial services and pharma companies (all fictional).
 *
 * Everything is placed relative to the demo clock (`demoInstant`), a Monday at 09:05 in New York
 * inside the current quarter, so every run tells the same story:
 *   - key accounts left alone past the 7-day threshold (Brightwater, Rheinwerk, Lakeshore, Kingsway,
 *     Marina Bay), follow-ups overdue and due today;
 *   - quarterly quotas: Alice ahead of pace, Carlos behind, Evelyn (hired this quarter) without one;
 *   - won and open deals, a comp plan for Alice, and gifts to Dr. Priya Shah $50 short of the
 *     FINRA Rule 3220 yearly limit;
 *   - the team "Global Accounts", managed by Morgan, posting to #sales-leaderboard (bot is a member).
 * The same people exist in the Slack emulator's directory (`emulatorUsers`) with the same zones and
 * locales, so users.info agrees with the database.
 */
import { runAs } from "../db/audit/audit-scope.js";
import { DateTime } from "luxon";
import type { Database } from "../db/client.js";
import { finraLimitCents } from "../domain/gifts.js";
import type { ForecastCategory } from "../domain/forecast.js";
import { normalizeName } from "../domain/names.js";
import { elapsedShare, periodContaining } from "../domain/periods.js";
import { addLocalDays, isoWeekday, localDateOf, startOfLocalDate, type LocalDate } from "../domain/time.js";
import type { FakeChannel, FakeUser } from "./slack-emulator.js";

export const WORKSPACE = {
  slackTeamId: "T0NWSALES",
  name: "Northwind Sales",
  domain: "northwind-sales",
  timezone: "America/New_York",
} as const;

export const CHANNELS = {
  general: { id: "C0NWGENRL", name: "general" },
  leaderboard: { id: "C0NWLEADS", name: "sales-leaderboard" },
} as const;

export const TEAM_NAME = "Global Accounts";

export type PersonKey = "morgan" | "alice" | "bernd" | "carlos" | "dana" | "evelyn";

export interface DemoPerson {
  slackUserId: string;
  name: string;
  handle: string;
  title: string;
  zone: string;
  locale: string;
  role: "rep" | "manager";
}

export const PEOPLE: Record<PersonKey, DemoPerson> = {
  morgan: { slackUserId: "U0MORGAN", name: "Morgan Reed", handle: "morgan", title: "Head of Sales", zone: "America/New_York", locale: "en-US", role: "manager" },
  alice: { slackUserId: "U0ALICE", name: "Alice Adams", handle: "alice", title: "Senior Account Executive", zone: "America/New_York", locale: "en-US", role: "rep" },
  carlos: { slackUserId: "U0CARLOS", name: "Carlos Castillo", handle: "carlos", title: "Account Executive", zone: "America/Chicago", locale: "en-US", role: "rep" },
  dana: { slackUserId: "U0DANA", name: "Dana Doyle", handle: "dana", title: "Account Executive, EMEA", zone: "Europe/London", locale: "en-GB", role: "rep" },
  bernd: { slackUserId: "U0BERND", name: "Bernd Bauer", handle: "bernd", title: "Account Executive DACH", zone: "Europe/Berlin", locale: "de-DE", role: "rep" },
  evelyn: { slackUserId: "U0EVELYN", name: "Evelyn Tan", handle: "evelyn", title: "Account Executive, APAC", zone: "Asia/Singapore", locale: "en-SG", role: "rep" },
};

const REPS: PersonKey[] = ["alice", "carlos", "dana", "bernd", "evelyn"];

/** The city part of an IANA zone: "America/New_York" → "New York". */
export function cityOf(zone: string): string {
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

/** The people as the Slack emulator's user directory (users.info / users.list / DMs). */
export function emulatorUsers(): FakeUser[] {
  return Object.values(PEOPLE).map((p) => {
    const [first, ...rest] = p.name.split(" ");
    return {
      id: p.slackUserId,
      name: p.handle,
      real_name: p.name,
      tz: p.zone,
      locale: p.locale,
      profile: {
        email: `${p.handle}@northwind-sales.example`,
        real_name: p.name,
        display_name: p.handle,
        first_name: first,
        last_name: rest.join(" "),
        title: p.title,
      },
    };
  });
}

/** The emulator's channels: #general and the team's #sales-leaderboard, with the bot in both. */
export function emulatorChannels(botUserId: string): FakeChannel[] {
  const everyone = [...Object.values(PEOPLE).map((p) => p.slackUserId), botUserId];
  return [
    { ...CHANNELS.general, is_member: true, members: everyone },
    { ...CHANNELS.leaderboard, is_member: true, members: everyone },
  ];
}

/**
 * The demo's "now": Monday 09:05 in New York, this week's Monday unless that falls in the first five
 * weeks or the last two weeks of the quarter (then the nearest Monday inside that window), so the
 * quarter has history behind it and pace to make up ahead of it.
 */
export function demoInstant(realNow: Date): Date {
  const zone = WORKSPACE.timezone;
  const today = DateTime.fromJSDate(realNow, { zone }).startOf("day");
  const quarter = periodContaining("quarter", realNow, zone, 1);
  const qStart = DateTime.fromISO(quarter.startDate, { zone });
  const qEnd = DateTime.fromISO(quarter.endDate, { zone });
  const mondayOnOrAfter = (d: DateTime): number => d.plus({ days: (8 - d.weekday) % 7 }).toMillis();
  const earliest = mondayOnOrAfter(qStart.plus({ days: 35 }));
  const latest = mondayOnOrAfter(qEnd.minus({ days: 20 }));
  const thisMonday = today.minus({ days: today.weekday - 1 }).toMillis();
  const monday = DateTime.fromMillis(Math.min(Math.max(thisMonday, earliest), latest), { zone });
  return monday.set({ hour: 9, minute: 5 }).toJSDate();
}

type Tier = "key" | "growth" | "standard";
type Industry = "Advertising" | "Financial services" | "Pharma";

interface AccountSpec {
  owner: PersonKey;
  name: string;
  tier: Tier;
  industry: Industry;
  /** Annual revenue in dollars. */
  value: number;
  /** Local days since the latest touch (counted back from the demo day). */
  lastTouch: number;
  touches: number;
}

const ACCOUNTS: AccountSpec[] = [
  { owner: "alice", name: "Hudson Lane Media", tier: "key", industry: "Advertising", value: 1_200_000, lastTouch: 3, touches: 12 },
  { owner: "alice", name: "Brightwater Capital", tier: "key", industry: "Financial services", value: 950_000, lastTouch: 17, touches: 9 },
  { owner: "alice", name: "Meridian Health Labs", tier: "growth", industry: "Pharma", value: 320_000, lastTouch: 5, touches: 7 },
  { owner: "alice", name: "Copperfield Creative", tier: "standard", industry: "Advertising", value: 60_000, lastTouch: 20, touches: 4 },
  { owner: "carlos", name: "Lakeshore Mutual", tier: "key", industry: "Financial services", value: 1_100_000, lastTouch: 10, touches: 10 },
  { owner: "carlos", name: "Prairie Bioscience", tier: "growth", industry: "Pharma", value: 350_000, lastTouch: 4, touches: 8 },
  { owner: "carlos", name: "Wabash Street Advertising", tier: "standard", industry: "Advertising", value: 75_000, lastTouch: 34, touches: 3 },
  { owner: "dana", name: "Thameside Insurance", tier: "key", industry: "Financial services", value: 880_000, lastTouch: 3, touches: 11 },
  { owner: "dana", name: "Kingsway Therapeutics", tier: "key", industry: "Pharma", value: 2_000_000, lastTouch: 21, touches: 9 },
  { owner: "dana", name: "Soho Signal Advertising", tier: "growth", industry: "Advertising", value: 240_000, lastTouch: 6, touches: 6 },
  { owner: "bernd", name: "Rheinwerk Pharma AG", tier: "key", industry: "Pharma", value: 1_500_000, lastTouch: 12, touches: 10 },
  { owner: "bernd", name: "Hanseatische Privatbank", tier: "growth", industry: "Financial services", value: 420_000, lastTouch: 4, touches: 7 },
  { owner: "bernd", name: "Löwenherz Biotech", tier: "growth", industry: "Pharma", value: 280_000, lastTouch: 10, touches: 5 },
  { owner: "bernd", name: "Isar Media Group", tier: "standard", industry: "Advertising", value: 80_000, lastTouch: 40, touches: 3 },
  { owner: "evelyn", name: "Marina Bay Securities", tier: "key", industry: "Financial services", value: 900_000, lastTouch: 10, touches: 5 },
  { owner: "evelyn", name: "Straits Pharma", tier: "growth", industry: "Pharma", value: 300_000, lastTouch: 3, touches: 4 },
  { owner: "evelyn", name: "Lion City Digital", tier: "standard", industry: "Advertising", value: 50_000, lastTouch: 12, touches: 3 },
];

const TOUCH_NOTES: Record<PersonKey, [string, string][]> = {
  alice: [["call", "Pricing questions from procurement"], ["meeting", "Quarterly business review"], ["email", "Sent the usage report"], ["demo", "Showed the new reporting suite"], ["meal", "Lunch with the marketing director"]],
  carlos: [["call", "Checked in with the CFO"], ["email", "Shared the security whitepaper"], ["meeting", "Renewal kickoff"], ["demo", "Walkthrough for the analytics team"]],
  dana: [["call", "Catch-up with the head of digital"], ["meeting", "Steering committee"], ["email", "Follow-up on the pilot results"], ["demo", "Compliance module demo"]],
  bernd: [["call", "Rückfrage zum Angebot"], ["meeting", "Jahresgespräch mit dem Einkauf"], ["email", "Referenzen geschickt"], ["demo", "Demo für die Fachabteilung"]],
  evelyn: [["call", "Intro call with the new CIO"], ["meeting", "Discovery workshop"], ["email", "Sent the regional pricing"]],
  morgan: [],
};

interface FollowUpSpec {
  owner: PersonKey;
  account: string;
  title: string;
  /** Local days from the demo day: negative = overdue, 0 = due today. */
  due: number;
}

const FOLLOW_UPS: FollowUpSpec[] = [
  { owner: "alice", account: "Brightwater Capital", title: "Send the renewal proposal", due: -3 },
  { owner: "alice", account: "Hudson Lane Media", title: "Confirm the QBR agenda", due: 0 },
  { owner: "alice", account: "Meridian Health Labs", title: "Intro to their new VP of Marketing", due: 4 },
  { owner: "carlos", account: "Lakeshore Mutual", title: "Call back the CFO about pricing", due: -1 },
  { owner: "carlos", account: "Prairie Bioscience", title: "Send the oncology case study", due: 0 },
  { owner: "dana", account: "Kingsway Therapeutics", title: "Book the site visit", due: 0 },
  { owner: "dana", account: "Soho Signal Advertising", title: "Share the Q1 media plan", due: 3 },
  { owner: "bernd", account: "Rheinwerk Pharma AG", title: "Angebot nachfassen", due: 0 },
  { owner: "bernd", account: "Hanseatische Privatbank", title: "Vertragsentwurf an die Rechtsabteilung", due: -2 },
  { owner: "bernd", account: "Löwenherz Biotech", title: "Termin mit Dr. Vogel bestätigen", due: 2 },
  { owner: "evelyn", account: "Marina Bay Securities", title: "Share the compliance pack", due: -1 },
  { owner: "evelyn", account: "Straits Pharma", title: "Send the pilot proposal", due: 0 },
];

interface WonSpec {
  owner: PersonKey;
  account: string;
  title: string;
  /** Share of the rep's closed-won total this quarter. */
  weight: number;
  /** Local days before the demo day (a weekday; all inside the quarter: the demo day is 5+ weeks in). */
  daysAgo: number;
}

const WON: WonSpec[] = [
  { owner: "alice", account: "Hudson Lane Media", title: "2027 programmatic renewal", weight: 0.6, daysAgo: 31 },
  { owner: "alice", account: "Meridian Health Labs", title: "Launch campaign analytics", weight: 0.25, daysAgo: 17 },
  { owner: "alice", account: "Copperfield Creative", title: "Agency seat pack", weight: 0.15, daysAgo: 4 },
  { owner: "carlos", account: "Prairie Bioscience", title: "Trial data dashboards", weight: 0.7, daysAgo: 25 },
  { owner: "carlos", account: "Wabash Street Advertising", title: "Starter plan", weight: 0.3, daysAgo: 11 },
  { owner: "dana", account: "Thameside Insurance", title: "Claims analytics expansion", weight: 0.75, daysAgo: 24 },
  { owner: "dana", account: "Soho Signal Advertising", title: "Creative testing add-on", weight: 0.25, daysAgo: 6 },
  { owner: "bernd", account: "Hanseatische Privatbank", title: "Reporting-Plattform", weight: 0.55, daysAgo: 26 },
  { owner: "bernd", account: "Rheinwerk Pharma AG", title: "Pilot Vertriebssteuerung", weight: 0.45, daysAgo: 5 },
  { owner: "evelyn", account: "Straits Pharma", title: "Field force pilot", weight: 1, daysAgo: 10 },
];

/**
 * Quarterly quotas in dollars, and closed-won so far as a multiple of linear pace (so the story is
 * the same whichever week the demo runs in): Alice ahead, Carlos well behind, Bernd on pace.
 * Evelyn joined this quarter and has no quota yet (her won total is fixed).
 */
const QUOTAS: Partial<Record<PersonKey, { quota: number; paceRatio: number }>> = {
  alice: { quota: 400_000, paceRatio: 1.3 },
  carlos: { quota: 450_000, paceRatio: 0.4 },
  dana: { quota: 300_000, paceRatio: 1.1 },
  bernd: { quota: 350_000, paceRatio: 1 },
};
const EVELYN_WON = 45_000;

interface OpenSpec {
  owner: PersonKey;
  account: string;
  title: string;
  amount: number;
  stage: "prospect" | "qualified" | "proposal" | "negotiation";
  /** Local days from the demo day to the expected close. */
  close: number;
  /** The rep's forecast call; absent = implied by the stage. */
  forecast?: ForecastCategory;
}

const OPEN: OpenSpec[] = [
  { owner: "alice", account: "Brightwater Capital", title: "Wealth platform renewal", amount: 240_000, stage: "negotiation", close: 18, forecast: "commit" },
  // Slipping: its close date passed nine days ago, so Alice's reminder lists it under "Deals that need attention".
  { owner: "alice", account: "Copperfield Creative", title: "Brand refresh retainer", amount: 45_000, stage: "proposal", close: -9 },
  { owner: "carlos", account: "Lakeshore Mutual", title: "Advisor analytics", amount: 90_000, stage: "negotiation", close: 4 },
  { owner: "dana", account: "Kingsway Therapeutics", title: "Global rollout", amount: 310_000, stage: "proposal", close: 30 },
  { owner: "bernd", account: "Löwenherz Biotech", title: "Studienportal", amount: 60_000, stage: "qualified", close: 25, forecast: "best_case" },
  { owner: "evelyn", account: "Marina Bay Securities", title: "Trading desk insights", amount: 150_000, stage: "proposal", close: 21 },
];

export const GIFT_RECIPIENT = "Dr. Priya Shah";

export interface SeededDemo {
  workspaceId: number;
  teamId: number;
  userIds: Record<PersonKey, number>;
  /** The demo day in New York, YYYY-MM-DD. */
  day: LocalDate;
  quarterLabel: string;
  /** What the gifts to GIFT_RECIPIENT already add up to this year, and the limit. */
  gift: { priorCents: number; limitCents: number };
  counts: { accounts: number; touches: number; followUps: number; deals: number; gifts: number };
}

const $ = (dollars: number): bigint => BigInt(Math.round(dollars * 100));

/** Seeds an empty (freshly migrated) database with the demo team around `now`. */
export function seedDemoData(db: Database, now: Date): Promise<SeededDemo> {
  // Recorded in the audit trail as the seed's writes (not "unknown").
  return runAs({ kind: "cli", detail: "demo seed" }, () => seedDemoDataNow(db, now));
}

async function seedDemoDataNow(db: Database, now: Date): Promise<SeededDemo> {
  const p = db.prisma;
  const day = localDateOf(now, WORKSPACE.timezone);
  const quarter = periodContaining("quarter", now, WORKSPACE.timezone, 1);
  const at = (who: PersonKey, daysFromToday: number, hour: number, minute = 0): Date =>
    DateTime.fromISO(addLocalDays(localDateOf(now, PEOPLE[who].zone), daysFromToday), { zone: PEOPLE[who].zone })
      .set({ hour, minute })
      .toJSDate();

  /** `daysBack`, moved further back past a weekend: people log touches on working days. */
  const onAWeekday = (who: PersonKey, daysBack: number): number => {
    const weekday = isoWeekday(addLocalDays(localDateOf(now, PEOPLE[who].zone), -daysBack));
    return weekday === 6 ? daysBack + 1 : weekday === 7 ? daysBack + 2 : daysBack;
  };

  const ws = await p.workspace.create({
    data: { slackTeamId: WORKSPACE.slackTeamId, name: WORKSPACE.name, timezone: WORKSPACE.timezone, currency: "USD", fiscalYearStartMonth: 1 },
  });
  const yearAgo = at("morgan", -400, 9);
  const userIds = {} as Record<PersonKey, number>;
  for (const key of Object.keys(PEOPLE) as PersonKey[]) {
    const person = PEOPLE[key];
    const user = await p.user.create({
      data: {
        workspaceId: ws.id,
        slackUserId: person.slackUserId,
        name: person.name,
        email: `${person.handle}@northwind-sales.example`,
        timezone: person.zone,
        locale: person.locale,
        role: person.role,
        hiredOn: key === "evelyn" ? addLocalDays(quarter.startDate, 7) : "2023-02-01",
        createdAt: yearAgo,
      },
    });
    userIds[key] = user.id;
  }

  const team = await p.team.create({
    data: {
      workspaceId: ws.id,
      name: TEAM_NAME,
      nameKey: normalizeName(TEAM_NAME),
      managerId: userIds.morgan,
      channelId: CHANNELS.leaderboard.id,
      timezone: WORKSPACE.timezone,
    },
  });
  // Members through their own model: the audit trail records each (no nested writes, see docs/DEVELOPING.md).
  await p.teamMember.createMany({ data: REPS.map((key) => ({ teamId: team.id, userId: userIds[key] })) });

  // Accounts and their touch history: evenly spread from about four months back to the latest touch.
  const accountIds = new Map<string, number>();
  let touches = 0;
  for (const a of ACCOUNTS) {
    const lastTouchAt = at(a.owner, -a.lastTouch, 10, 30);
    const account = await p.account.create({
      data: {
        workspaceId: ws.id,
        ownerId: userIds[a.owner],
        name: a.name,
        nameKey: normalizeName(a.name),
        tier: a.tier,
        industry: a.industry,
        annualValueCents: $(a.value),
        lastTouchAt,
        createdAt: yearAgo,
      },
    });
    accountIds.set(a.name, account.id);
    const notes = TOUCH_NOTES[a.owner];
    const span = 120 - a.lastTouch;
    await p.touch.createMany({
      data: Array.from({ length: a.touches }, (_, i) => {
        const daysBack = a.lastTouch + Math.round((span * (a.touches - 1 - i)) / Math.max(1, a.touches - 1));
        const [kind, note] = notes[(i + a.name.length) % notes.length];
        return {
          accountId: account.id,
          userId: userIds[a.owner],
          kind,
          note,
          source: "command",
          occurredAt: i === a.touches - 1 ? lastTouchAt : at(a.owner, -onAWeekday(a.owner, daysBack), 9 + (i % 7), 15),
        };
      }),
    });
    touches += a.touches;
  }
  const accountOf = (name: string): number => {
    const id = accountIds.get(name);
    if (id === undefined) throw new Error(`demo data: no account ${name}`);
    return id;
  };

  await p.followUp.createMany({
    data: FOLLOW_UPS.map((f) => ({
      accountId: accountOf(f.account),
      userId: userIds[f.owner],
      title: f.title,
      dueAt: startOfLocalDate(addLocalDays(localDateOf(now, PEOPLE[f.owner].zone), f.due), PEOPLE[f.owner].zone),
      createdAt: at(f.owner, Math.min(f.due, 0) - 7, 11),
    })),
  });

  // Closed-won this quarter, sized against linear pace; the open deals close in the coming weeks.
  const share = elapsedShare(quarter, now, WORKSPACE.timezone, "business").share;
  const wonTotal = (who: PersonKey): number => {
    const q = QUOTAS[who];
    return q ? Math.round((Math.min(q.paceRatio * share, 0.9) * q.quota) / 1_000) * 1_000 : EVELYN_WON;
  };
  const wonRows = WON.map((d) => {
    const mine = WON.filter((o) => o.owner === d.owner);
    const total = wonTotal(d.owner);
    // Round each deal to $1,000; the rep's last deal takes the remainder so the total is exact.
    const rounded = (o: WonSpec) => Math.round((total * o.weight) / 1_000) * 1_000;
    const amount = d === mine[mine.length - 1] ? total - mine.slice(0, -1).reduce((sum, o) => sum + rounded(o), 0) : rounded(d);
    const wonAt = at(d.owner, -d.daysAgo, 15, 30);
    return {
      accountId: accountOf(d.account),
      ownerId: userIds[d.owner],
      title: d.title,
      amountCents: $(amount),
      stage: "won",
      status: "won",
      wonAt,
      expectedCloseAt: wonAt,
      createdAt: new Date(wonAt.getTime() - 45 * 86_400_000),
    };
  });
  await p.deal.createMany({
    data: [
      ...wonRows,
      ...OPEN.map((d) => ({
        accountId: accountOf(d.account),
        ownerId: userIds[d.owner],
        title: d.title,
        amountCents: $(d.amount),
        stage: d.stage,
        status: "open",
        expectedCloseAt: startOfLocalDate(addLocalDays(localDateOf(now, PEOPLE[d.owner].zone), d.close), PEOPLE[d.owner].zone),
        forecastCategory: d.forecast ?? null,
        createdAt: at(d.owner, -30, 14),
      })),
    ],
  });

  for (const [key, q] of Object.entries(QUOTAS) as [PersonKey, { quota: number }][]) {
    await p.quota.create({
      data: { userId: userIds[key], periodType: "quarter", periodStart: quarter.startDate, amountCents: $(q.quota), setById: userIds.morgan },
    });
  }

  // Alice's comp plan: 8 % on closed-won, 1.5× above quota, a $5,000 bonus at 100 %.
  await p.compPlan.create({
    data: {
      userId: userIds.alice,
      baseSalaryCents: $(120_000),
      commissionRate: 0.08,
      acceleratorMultiplier: 1.5,
      bonuses: JSON.stringify([{ attainment: 1, amountCents: 500_000 }]),
      periodType: "quarter",
      effectiveFrom: `${day.slice(0, 4)}-01-01`,
    },
  });

  // Gifts: Dana's contact at Kingsway is $50 short of the yearly limit; a client lunch (entertainment) does not count.
  const giftDay = (daysBack: number) => addLocalDays(localDateOf(now, PEOPLE.dana.zone), -daysBack);
  const limitCents = finraLimitCents(day);
  const priorCents = limitCents - 5_000;
  const contact = await p.contact.create({
    data: { accountId: accountOf("Kingsway Therapeutics"), name: GIFT_RECIPIENT, nameKey: normalizeName(GIFT_RECIPIENT), title: "VP Clinical Operations" },
  });
  const gifts = [
    { kind: "gift", amountCents: Math.round(priorCents * 0.6), givenOn: giftDay(30), description: "Conference hamper after the ASCO meeting" },
    { kind: "gift", amountCents: priorCents - Math.round(priorCents * 0.6), givenOn: giftDay(14), description: "Book: The Emperor of All Maladies (signed)" },
    { kind: "entertainment", amountCents: 16_500, givenOn: giftDay(9), description: "Client lunch at Rules, Covent Garden" },
  ];
  await p.gift.createMany({
    data: gifts.map((g) => ({
      workspaceId: ws.id,
      accountId: accountOf("Kingsway Therapeutics"),
      contactId: contact.id,
      userId: userIds.dana,
      kind: g.kind,
      recipientName: GIFT_RECIPIENT,
      recipientKey: normalizeName(GIFT_RECIPIENT),
      amountCents: BigInt(g.amountCents),
      givenOn: g.givenOn,
      description: g.description,
    })),
  });

  return {
    workspaceId: ws.id,
    teamId: team.id,
    userIds,
    day,
    quarterLabel: quarter.label,
    gift: { priorCents, limitCents },
    counts: { accounts: ACCOUNTS.length, touches, followUps: FOLLOW_UPS.length, deals: WON.length + OPEN.length, gifts: gifts.length },
  };
}
