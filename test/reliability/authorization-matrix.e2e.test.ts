/**
 * The authorization matrix, through the real Bolt app: every read and write command, for a rep on
 * their own data, a rep on another team's rep's data, a manager on their own team's rep, a manager
 * on another team's rep, and an admin. The rules (issue 3 → Authorization): reps see and change
 * only their own accounts, deals and follow-ups; managers also their teams'; admins everything;
 * `quota set` and team changes are for managers (their own team) and admins; anyone may look at a
 * leaderboard or a team; `/ae quota` and `/ae followups` show the actor's own, `/ae pipeline @rep`
 * follows the same rule as records (manager over their team, admin over all). A refusal says why
 * and changes nothing — every row of every table is compared.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Denial } from "../../src/domain/authorization.js";
import { translator } from "../../src/i18n/translate.js";
import { dbContents } from "../support/db-snapshot.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { describeEachProvider } from "../support/providers.js";

const en = translator("en");

type Who = "UREPA" | "UREPB" | "UMGRA" | "UMGRB" | "UADMIN";
const ROLES: Record<Who, "rep" | "manager" | "admin"> = { UREPA: "rep", UREPB: "rep", UMGRA: "manager", UMGRB: "manager", UADMIN: "admin" };
/** East: UREPA, managed by UMGRA. West: UREPB, managed by UMGRB. */
const TEAM_OF: Record<"UREPA" | "UREPB", "East" | "West"> = { UREPA: "East", UREPB: "West" };
const MANAGER_OF: Record<"East" | "West", Who> = { East: "UMGRA", West: "UMGRB" };

interface Case {
  name: string;
  actor: Who;
  target: "UREPA" | "UREPB";
}

const CASES: Case[] = [
  { name: "a rep on their own data", actor: "UREPA", target: "UREPA" },
  { name: "a rep on another team's rep", actor: "UREPA", target: "UREPB" },
  { name: "a manager on their own team's rep", actor: "UMGRA", target: "UREPA" },
  { name: "a manager on another team's rep", actor: "UMGRA", target: "UREPB" },
  { name: "an admin", actor: "UADMIN", target: "UREPB" },
];

type Outcome = "allowed" | Denial | "not_manager";

/** What the spec says should happen. */
function expected(rule: Rule, c: Case): Outcome {
  const role = ROLES[c.actor];
  const team = TEAM_OF[c.target];
  switch (rule) {
    case "owner":
      if (role === "admin" || c.actor === c.target || (role === "manager" && MANAGER_OF[team] === c.actor)) return "allowed";
      return role === "manager" ? "not_your_team" : "not_owner";
    case "quota set":
      if (role === "rep") return "manager_only";
      return role === "admin" || MANAGER_OF[team] === c.actor ? "allowed" : "not_your_team";
    case "team change":
      if (role === "rep") return "manager_only";
      return role === "admin" || MANAGER_OF[team] === c.actor ? "allowed" : "not_manager";
    case "anyone":
    case "own view":
    case "scoped list":
      return "allowed";
  }
}

type Rule = "owner" | "quota set" | "team change" | "anyone" | "own view" | "scoped list";

/** Fresh data of the target for one row of the matrix. */
interface Fixture {
  account: { id: number; name: string };
  dealId: number;
  followUpId: number;
  followUpTitle: string;
  team: "East" | "West";
  targetUserId: number;
  newcomer: string;
}

interface Command {
  name: string;
  rule: Rule;
  text: (f: Fixture, c: Case) => string;
  /** For writes: whether the change happened. */
  effect?: (t: TestApp, f: Fixture) => Promise<boolean>;
  /** For reads that are allowed: what the reply must show (or not show). */
  shows?: (text: string, f: Fixture, c: Case) => boolean;
}

const q = (name: string) => `"${name}"`;

/** A made-up word per row, far from every other (account names match by prefix and close typos). */
function distinctWord(n: number): string {
  const hash = createHash("sha256").update(`matrix-${n}`).digest();
  const letters = Array.from(hash.subarray(0, 9), (b) => String.fromCharCode(97 + (b % 26))).join("");
  return letters[0]!.toUpperCase() + letters.slice(1);
}

const COMMANDS: Command[] = [
  // A list is scoped rather than refused: someone else's account is simply not in it.
  { name: "accounts <search>", rule: "scoped list", text: (f) => `accounts ${f.account.name}`, shows: (r, f, c) => !r.includes(en("accounts.list.noMatch", { search: f.account.name })) === (expected("owner", c) === "allowed") },
  { name: "account <name>", rule: "owner", text: (f) => `account ${q(f.account.name)}`, shows: (r, f) => r.includes(f.account.name) && r.includes(f.followUpTitle) },
  { name: "log <account> call", rule: "owner", text: (f) => `log ${q(f.account.name)} call discussed renewal`, effect: async (t, f) => (await t.database.db.prisma.touch.count({ where: { accountId: f.account.id } })) === 1 },
  {
    name: "followup <account> tomorrow …",
    rule: "owner",
    text: (f) => `followup ${q(f.account.name)} tomorrow send the proposal`,
    effect: async (t, f) => (await t.database.db.prisma.followUp.count({ where: { accountId: f.account.id } })) === 2,
  },
  {
    name: "followups",
    rule: "own view",
    text: () => "followups",
    // Everyone's list is their own: the target's follow-up shows only to the target.
    shows: (r, f, c) => r.includes(f.followUpTitle) === (c.actor === c.target),
  },
  { name: "done <follow-up>", rule: "owner", text: (f) => `done ${f.followUpId}`, effect: async (t, f) => (await t.database.db.prisma.followUp.findUniqueOrThrow({ where: { id: f.followUpId } })).status !== "open" },
  { name: "deal <account> 10k", rule: "owner", text: (f) => `deal ${q(f.account.name)} 10k`, effect: async (t, f) => (await t.database.db.prisma.deal.count({ where: { accountId: f.account.id } })) === 2 },
  {
    name: "deal <deal> forecast:commit",
    rule: "owner",
    text: (f) => `deal ${f.dealId} forecast:commit`,
    effect: async (t, f) => (await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: f.dealId } })).forecastCategory === "commit",
  },
  // Someone else's pipeline follows the manager's view (the same rule as their records): headed with
  // whose it is, and listing the target's deals without a close date (every fixture deal has none).
  {
    name: "pipeline @rep",
    rule: "owner",
    text: (_f, c) => `pipeline <@${c.target}>`,
    shows: (r, _f, c) => r.includes("*Pipeline ·") && r.includes("no close date") && (c.actor === c.target || r.includes(`<@${c.target}> · *Pipeline`)),
  },
  { name: "won <deal>", rule: "owner", text: (f) => `won #${f.dealId}`, effect: async (t, f) => (await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: f.dealId } })).status === "won" },
  { name: "lost <deal>", rule: "owner", text: (f) => `lost #${f.dealId} went with a competitor`, effect: async (t, f) => (await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: f.dealId } })).status === "lost" },
  { name: "quota", rule: "own view", text: () => "quota", shows: (r) => r.length > 0 },
  {
    name: "quota set @rep",
    rule: "quota set",
    text: (_f, c) => `quota set <@${c.target}> 123k month`,
    effect: async (t, f) => (await t.database.db.prisma.quota.count({ where: { userId: f.targetUserId, amountCents: 12_300_000n } })) === 1,
  },
  { name: "gifts <account>", rule: "owner", text: (f) => `gifts ${q(f.account.name)}`, shows: (r, f) => r.includes(f.account.name) },
  {
    name: "gift <account> …",
    rule: "owner",
    text: (f) => `gift ${q(f.account.name)} "Jane Roe" 40 Bottle of wine`,
    effect: async (t, f) => (await t.database.db.prisma.gift.count({ where: { accountId: f.account.id } })) === 1,
  },
  {
    name: "team add <team> @person",
    rule: "team change",
    text: (f) => `team add ${f.team} <@${f.newcomer}>`,
    effect: async (t, f) => (await t.database.db.prisma.teamMember.count({ where: { team: { name: f.team }, user: { slackUserId: f.newcomer } } })) === 1,
  },
  { name: "team show <team>", rule: "anyone", text: (f) => `team show ${f.team}`, shows: (r, f) => r.includes(f.team) },
  { name: "leaderboard <team>", rule: "anyone", text: (f) => `leaderboard month ${f.team}`, shows: (r, f) => r.includes(f.team) },
];

function denialText(o: Exclude<Outcome, "allowed">, team: string): string {
  return o === "not_manager" ? en("team.error.notManager", { team }) : en(`error.denied.${o}`);
}

describeEachProvider("authorization matrix through /ae [%s]", (provider) => {
  let t: TestApp;
  let seq = 0;
  const newcomers: string[] = Array.from({ length: 20 }, (_, i) => `UNEW${i}`);

  beforeAll(async () => {
    t = await startTestApp({
      provider,
      users: [
        ...(Object.keys(ROLES) as Who[]).map((id) => ({ id, real_name: id, tz: "America/New_York" })),
        ...newcomers.map((id) => ({ id, real_name: `Newcomer ${id}` })),
      ],
    });
    const p = t.database.db.prisma;
    const ws = await t.services.repos.workspaces.ensure("T0TEST", { timezone: "America/New_York" });
    const ids = {} as Record<Who, number>;
    for (const who of Object.keys(ROLES) as Who[]) {
      const u = await p.user.create({ data: { workspaceId: ws.id, slackUserId: who, name: who, timezone: "America/New_York", role: ROLES[who] } });
      ids[who] = u.id;
    }
    for (const [team, rep] of [["East", "UREPA"], ["West", "UREPB"]] as const) {
      const row = await p.team.create({ data: { workspaceId: ws.id, name: team, nameKey: team.toLowerCase(), managerId: ids[MANAGER_OF[team]] } });
      await p.teamMember.create({ data: { teamId: row.id, userId: ids[rep] } });
    }
  });
  afterAll(async () => t?.close());

  async function fixture(c: Case): Promise<Fixture> {
    const p = t!.database.db.prisma;
    const n = ++seq;
    const owner = await p.user.findFirstOrThrow({ where: { slackUserId: c.target } });
    const name = `${distinctWord(n)} Corp`;
    const account = await p.account.create({ data: { workspaceId: owner.workspaceId, ownerId: owner.id, name, nameKey: name.toLowerCase() }, select: { id: true, name: true } });
    const deal = await p.deal.create({ data: { accountId: account.id, ownerId: owner.id, amountCents: 5_000_000n, status: "open", stage: "proposal" } });
    const followUpTitle = `Call back matrix ${n}`;
    const followUp = await p.followUp.create({ data: { accountId: account.id, userId: owner.id, title: followUpTitle, dueAt: new Date(Date.now() + 86_400_000) } });
    return { account, dealId: deal.id, followUpId: followUp.id, followUpTitle, team: TEAM_OF[c.target], targetUserId: owner.id, newcomer: newcomers[n % newcomers.length]! };
  }

  const rows = CASES.flatMap((c) => COMMANDS.map((cmd) => [cmd.name, c.name, cmd, c] as const));

  it.each(rows)("/ae %s — %s", async (_cmdName, _caseName, cmd, c) => {
    const f = await fixture(c);
    const outcome = expected(cmd.rule, c);
    const before = await dbContents(t.database.db);
    const { http, reply } = await t.command(cmd.text(f, c), c.actor);
    expect(http.status).toBe(200);
    const text = textOf(reply);
    const refusals = (["not_owner", "not_your_team", "admin_only", "manager_only"] as const).map((d) => en(`error.denied.${d}`));
    if (outcome === "allowed") {
      expect(refusals.some((r) => text.includes(r)), text).toBe(false);
      if (cmd.effect) expect(await cmd.effect(t, f), text).toBe(true);
      if (cmd.shows) expect(cmd.shows(text, f, c), text).toBe(true);
      if (!cmd.effect) expect(await dbContents(t.database.db)).toBe(before); // reads change nothing
    } else {
      // The refusal says why, and nothing changed anywhere.
      expect(text).toContain(denialText(outcome, f.team));
      expect(text).toContain(en("error.nothingChanged"));
      if (cmd.effect) expect(await cmd.effect(t, f)).toBe(false);
      expect(await dbContents(t.database.db)).toBe(before);
    }
  });
});
