/**
 * Hostile input, property-based (fast-check): generated strings — full unicode, RTL, emoji, 10 kB
 * runs, SQL and mrkdwn/Block Kit injection, @channel/@here/@everyone and user mentions, numbers
 * and dates out of range — thrown at every `/ae` subcommand (SUBCOMMANDS in router.ts) and at
 * every input of every modal.
 *
 * Properties, for every input:
 *   - nothing throws and no promise is left rejected (a thrown error is what the listener would
 *     turn into "something went wrong": for user input that is a bug);
 *   - it is answered: a reply, a `respond`, a modal opened, or (modals) exactly one ack;
 *   - replies stay inside Block Kit's limits (the fake Slack's validator);
 *   - nothing a user typed is echoed as a live mention (<!channel>, <!here>, <!everyone>,
 *     <!subteam…>, or <@UINJ…> — the ids the generators inject);
 *   - read-only commands change no row, and input the oracle knows is invalid (zero/negative/huge
 *     amounts, empty or over-long names, past/future dates, unknown kinds) changes no row.
 * A few hundred more go through the real Bolt HTTP receiver, each acked with 200 and answered.
 *
 * The bulk runs in-process (the /ae dispatcher with the listener's context; modals through
 * Bolt's `processEvent`), so the default run is quick. AE_FULL_RELIABILITY=1 runs the full size:
 * more than 10,000 generated inputs.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenize } from "../../src/domain/command-args.js";
import type { Actor } from "../../src/services/actor-service.js";
import { SUBCOMMANDS } from "../../src/slack/subcommands/router.js";
import { ACCOUNT_MODAL, DEAL_MODAL, FOLLOWUP_MODAL, GIFT_OVERRIDE_MODAL, SETTINGS_MODAL, TOUCH_MODAL, VIEWS } from "../../src/slack/ids.js";
import { commandHarness, injectedMentions, type CommandHarness } from "../support/command-harness.js";
import { tableCounts } from "../support/db-snapshot.js";
import { startTestApp, type TestApp } from "../support/e2e-harness.js";
import { blockProblems } from "../support/fake-slack.js";
import { interactionBody, newTriggerId, slashCommandBody, viewSubmissionPayload } from "../support/slack-requests.js";
import { TOUCH_KINDS } from "../../src/domain/touch-args.js";

const FULL = process.env.AE_FULL_RELIABILITY === "1";
/** Default: ~1,300 inputs in well under a minute. Full: > 10,000. */
const SIZE = FULL ? { perSubcommand: 440, perInvalid: 120, perModal: 260, http: 400 } : { perSubcommand: 40, perInvalid: 12, perModal: 30, http: 120 };
const SEED = Number(process.env.AE_FUZZ_SEED ?? 20260615);
const NOW = new Date("2026-06-15T15:00:00Z");

// ---------------------------------------------------------------------------------------------------------------------
// Generators

const SQL = [
  `'; DROP TABLE "Account"; --`,
  `" OR "1"="1`,
  "1 OR 1=1",
  "Robert'); DROP TABLE Students;--",
  `%' UNION SELECT * FROM "User" --`,
  "'; SELECT pg_sleep(5); --",
  "' || (SELECT name FROM sqlite_master) || '",
  "%",
  "_",
  "\\",
  "\u0000",
  "`; ATTACH DATABASE '/tmp/x' AS x; --",
];
const MRKDWN = [
  "*bold*",
  "_it_",
  "~strike~",
  "`code`",
  "```block```",
  "> quote",
  "<https://evil.example|click me>",
  "<mailto:a@b.c|mail>",
  "<#C0TEST|general>",
  "<#CINJ1>",
  "&amp;lt;",
  "&gt;",
  `{"type":"section","text":{"type":"mrkdwn","text":"x"}}`,
  `"}]},{"type":"divider"}],"x":"`,
  "\n\n",
  "\t",
  ":white_check_mark:",
  "&lt;https://evil.example|click&gt;",
];
const MENTIONS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!here|here>",
  "<!channel|@channel>",
  "<!subteam^S0INJ|@sales>",
  "&lt;!channel&gt;",
  "&lt;!here&gt;",
  "&lt;!everyone&gt;",
  "&lt;@UINJ1&gt;",
  "&lt;@UINJ2|bob&gt;",
  "<@UINJ3",
  "<@uinj4>",
  "<@UINJ5 |x>",
  "<@UMENT1>",
  "<@UMENT2|dana>",
  "@channel",
  "@here",
  "<!date^1392734382^{date}|Feb 18>",
];
const NUMBERS = [
  "0", "-1", "-5k", "−12", "(100)", "1e309", "1e21", "9007199254740993", "999999999999999999999", "99999999999999",
  "1000000000001", "NaN", "Infinity", "-0", "0.001", "12.000,50", "1,5", "１２３", "٣٤٥", "12k", "1.5m", "2b", "$-3",
  "€", "1'000'000.00", "0x10", "1_000", "#0", "#-1", "#99999999999", "#1e5", "#999999999999999", "page:0", "page:-1",
  "page:99999", "page:1e3", "ramp:0", "ramp:2", "ramp:-0.5", "ramp:150%", "set", "me", "next",
];
const DATES = [
  "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "275760-09-13", "1969-12-31", "1900-01-01", "32.13.", "31.02.",
  "in 99999999 days", "in -3 days", "yesterday", "gestern", "last year", "tomorrow", "friday", "nächsten Montag",
  "in 3 Tagen", "end of month", "close:1999-01-01", "close:yesterday", "close:9999-99-99", "date:2999-01-01",
  "date:1800-01-01", "stage:won", "stage:<!channel>", "tier:<!here>", "value:-5", "value:1e400", "industry:<!channel>",
  "account:#1", "account:<!here>", "celebrate:maybe", "metrics:<!channel>",
];
const RTL = ["مرحبا بالعالم", "שלום עולם", "\u202Egnp.exe\u202C", "\u200F\u200E", "\u2066abc\u2069", "اكمي كورب", "\u061C123"];
const EMOJI = ["😀", "👨‍👩‍👧‍👦", "🇩🇪", "🏳️‍🌈", "\uFE0F", "Z̷̡̛a̸l̶g̵o̷", "\u0301\u0301\u0301", "🙈 <!channel> 🙉"];
/** Words that reach deeper paths: existing accounts, kinds, subcommand words. */
const WORDS = [
  "Acme Corp", `"Acme Corp"`, "acme", "Müller GmbH", "muller", "#1", "#2", "call", "email", "meeting", "note", "with",
  "add", "new", "show", "create", "edit", "remove", "channel", "manager", "settings", `"Fuzz Team"`, "week", "month",
  "quarter", "year", "individual", "tier:key", "value:120k", "stage:proposal", "close:2026-12-15", "<@UFZREP>",
  "<@UFZMGR|mia>", "<#C0TEST|general>", "__proto__", "constructor", "toString", "hasOwnProperty", "prototype",
];

const fragment = fc.oneof(
  fc.constantFrom(...SQL),
  fc.constantFrom(...MRKDWN),
  fc.constantFrom(...MENTIONS),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(...DATES),
  fc.constantFrom(...RTL),
  fc.constantFrom(...EMOJI),
  fc.constantFrom(...WORDS),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

/** ~10 kB of one hostile unit repeated. */
const huge = fc
  .tuple(fc.integer({ min: 10_000, max: 10_240 }), fc.constantFrom("a", "<!channel> ", "😀", "ش ", "' OR 1=1 ", "&lt;@UINJ7&gt; ", "x\u0301", "9"))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

/** Text after the subcommand name. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join(" ")) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 100 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), huge).map(([w, h]) => `${w} ${h}`) },
);

/** Hostile text without quotes or option colons: it cannot swallow or add the words an invalid-input oracle relies on. */
const tame = hostileText.map((s) => s.replace(/["“”„'‘’‚«»:]/g, " "));

// ---------------------------------------------------------------------------------------------------------------------
// Harness

let t: TestApp;
let h: CommandHarness;
const actors: Record<"rep" | "manager" | "admin", Actor> = {} as Record<"rep" | "manager" | "admin", Actor>;
/** The rep's accounts (ids as strings, as a select sends them). */
const accountIds: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

function names(sub: (typeof SUBCOMMANDS)[number]): string[] {
  return [sub.name, ...(sub.aliases ?? [])];
}

/** Commands that must never write: everything but account add, log, followup, done, deal, won, lost, quota set, gift(s), team writes. */
function isReadOnly(sub: string, args: string): boolean {
  const first = args.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  switch (sub) {
    case "help":
    case "accounts":
    case "followups":
    case "leaderboard":
    case "today":
    case "settings":
    case "gifts":
      return true;
    case "account":
      return !/^(?:add|new|neu|anlegen|hinzufügen)$/iu.test(first);
    case "quota": {
      const token = tokenize(args)[0];
      return !(token?.kind === "word" && token.value.toLowerCase() === "set");
    }
    default:
      return false;
  }
}

async function counts(): Promise<Record<string, number>> {
  return tableCounts(t.database.db, ["ProcessedRequest"]);
}

function describeInput(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
}

/** Everything a user could see from one command: problems found. */
function problemsOf(messages: unknown[]): string[] {
  const problems: string[] = [];
  for (const m of messages) {
    problems.push(...injectedMentions(m).map((s) => `live mention echoed: …${s}…`));
    if (typeof m === "object" && m !== null && "blocks" in m && (m as { blocks?: unknown }).blocks !== undefined) {
      problems.push(...blockProblems((m as { blocks: unknown }).blocks, 50, "/blocks"));
    }
    if (typeof m === "object" && m !== null && typeof (m as { text?: unknown }).text === "string" && (m as { text: string }).text.length > 40_000) {
      problems.push("text longer than 40,000 characters");
    }
  }
  return problems;
}

async function runCommand(text: string, actor: Actor, opts: { readOnly: boolean }): Promise<void> {
  const before = opts.readOnly ? await counts() : undefined;
  const modalsBefore = t.fake.callsTo("views.open").length + t.fake.callsTo("views.push").length;
  let run;
  try {
    run = await h.run(text, actor);
  } catch (error) {
    throw new Error(`/ae ${describeInput(text)} as ${actor.user.role} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { cause: error });
  }
  const modalsAfter = t.fake.callsTo("views.open").length + t.fake.callsTo("views.push").length;
  const answered = run.reply !== undefined || modalsAfter > modalsBefore;
  if (!answered) throw new Error(`/ae ${describeInput(text)} got no answer at all`);
  const seen: unknown[] = run.reply ? [run.reply] : [];
  const problems = problemsOf(seen);
  if (problems.length > 0) throw new Error(`/ae ${describeInput(text)}: ${problems.join("; ")}`);
  if (before) {
    const after = await counts();
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      throw new Error(`/ae ${describeInput(text)} should change nothing but did: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
  }
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  t = await startTestApp({
    now: NOW,
    users: [
      { id: "UFZREP", real_name: "Rita Rep", tz: "America/New_York" },
      { id: "UFZMGR", real_name: "Mia Manager", tz: "Europe/Berlin", locale: "de-DE" },
      { id: "UFZADM", real_name: "Ada Admin", tz: "UTC", is_admin: true },
      { id: "UMENT1", real_name: "Dana Mention" },
      { id: "UMENT2", real_name: "Lee Mention" },
    ],
  });
  h = commandHarness(t);
  const p = t.database.db.prisma;
  actors.rep = await h.actor("UFZREP");
  const mgr = await h.actor("UFZMGR");
  await p.user.update({ where: { id: mgr.user.id }, data: { role: "manager" } });
  actors.manager = await h.actor("UFZMGR");
  actors.manager.user.role = "manager";
  actors.admin = await h.actor("UFZADM");
  const team = await p.team.create({ data: { workspaceId: actors.rep.workspace.id, name: "Fuzz Team", nameKey: "fuzz team", managerId: mgr.user.id, channelId: "C0TEST" } });
  await p.teamMember.create({ data: { teamId: team.id, userId: actors.rep.user.id } });
  // Stored names that are themselves hostile: whatever renders them must escape them.
  for (const name of ["Acme Corp", "Müller GmbH", "<!channel> Holdings", "Zeta <@UINJ9> & Co", "*Bold* _Ltd_"]) {
    const a = await p.account.create({
      data: { workspaceId: actors.rep.workspace.id, ownerId: actors.rep.user.id, name, nameKey: name.toLowerCase(), tier: "key", annualValueCents: 12_000_000n, lastTouchAt: new Date("2026-05-01T00:00:00Z") },
    });
    await p.deal.create({ data: { accountId: a.id, ownerId: actors.rep.user.id, amountCents: 5_000_000n, status: "open", stage: "proposal" } });
    await p.followUp.create({ data: { accountId: a.id, userId: actors.rep.user.id, title: `<!here> call ${name}`, dueAt: new Date("2026-06-10T04:00:00Z") } });
    accountIds.push(String(a.id));
  }
  await p.quota.create({ data: { userId: actors.rep.user.id, periodType: "quarter", periodStart: "2026-04-01", amountCents: 30_000_000n } });
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await t?.close();
});

function actorArb() {
  return fc.constantFrom<keyof typeof actors>("rep", "manager", "admin");
}

const fcOptions = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true });

describe("hostile input to every /ae subcommand and every modal [sqlite]", () => {
  it.each(SUBCOMMANDS.map((s) => [s.name, s] as const))("/ae %s <generated text>", async (_name, sub) => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names(sub)), fc.boolean(), hostileText, actorArb(), async (name, shout, args, who) => {
        const typed = shout ? name.toUpperCase() : name;
        await runCommand(`${typed} ${args}`, actors[who], { readOnly: isReadOnly(sub.name, args) });
      }),
      fcOptions(SIZE.perSubcommand),
    );
    expect(unhandled).toEqual([]);
  });

  /** Inputs the oracle knows are invalid, with hostile text where it cannot make them valid. */
  const INVALID: [string, fc.Arbitrary<string>, keyof typeof actors][] = [
    ["account add: an amount that is not one", hostileText.map((s) => `account add value:-${s.length + 1} ${s}`), "rep"],
    ["account add: a tier that does not exist", hostileText.map((s) => `account add tier:<!channel> ${s}`), "rep"],
    ["account add: a name over 200 characters", tame.map((s) => `account add ${"N".repeat(201)}${s.replace(/\s/g, "")}`), "rep"],
    ["log: a note over 3000 characters", hostileText.map((s) => `log "Acme Corp" call ${"y".repeat(3001)} ${s}`), "rep"],
    ["log: an account that does not exist", tame.map((s) => `log #999999999 call ${s}`), "rep"],
    ["followup: a title over 500 characters", hostileText.map((s) => `followup "Acme Corp" tomorrow ${"z".repeat(501)}${s}`), "rep"],
    ["followup: a day in the past", tame.map((s) => `followup "Acme Corp" 2020-01-01 call back ${s}`), "rep"],
    ["deal: a zero, negative or huge amount", fc.tuple(tame, fc.constantFrom("0", "-5", "−12k", "(100)", "99999999999999", "1e400", "0,00")).map(([s, a]) => `deal ${s} ${a}`), "rep"],
    ["won: a deal that does not exist", tame.map((s) => `won 999999999 ${s}`), "admin"],
    ["lost: a deal that does not exist", tame.map((s) => `lost 999999999 ${s}`), "admin"],
    ["done: not a follow-up number", hostileText.filter((s) => !/^#?\d{1,12}$/.test(s.trim())).map((s) => `done ${s}`), "rep"],
    ["done: a follow-up that does not exist", fc.integer({ min: 100_000, max: 999_999_999 }).map((n) => `done #${n}`), "admin"],
    ["quota set: an amount that is not one", fc.tuple(fc.constantFrom("-5", "abc", "1e400", "99999999999999", "(3)"), hostileText).map(([a, s]) => `quota set me ${a} quarter ${s}`), "manager"],
    ["quota set: by a rep", hostileText.map((s) => `quota set me 100k quarter ${s}`), "rep"],
    ["gift: a zero amount", hostileText.map((s) => `gift Acme Recipient 0 ${s}`), "rep"],
    ["entertainment: a date in the future", tame.map((s) => `entertainment Acme Recipient 50 dinner ${s} date:2999-01-01`), "rep"],
    ["team: any change by a rep", fc.tuple(fc.constantFrom("create", "add", "remove", "channel", "manager", "settings"), hostileText).map(([a, s]) => `team ${a} ${s}`), "rep"],
  ];

  it.each(INVALID)("%s changes nothing", async (_name, arb, who) => {
    await fc.assert(
      fc.asyncProperty(arb, async (text) => runCommand(text, actors[who], { readOnly: true })),
      fcOptions(SIZE.perInvalid),
    );
    expect(unhandled).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Modals: every input of every modal gets generated values; submissions go through Bolt (processEvent) in-process.

type Json = Record<string, unknown>;
const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
const input = {
  text: (value: string | null): Json => ({ type: "plain_text_input", value }),
  select: (value: string | null): Json => ({ type: "static_select", selected_option: value === null ? null : { text: plain("x"), value } }),
  date: (value: string | null): Json => ({ type: "datepicker", selected_date: value }),
  time: (value: string | null): Json => ({ type: "timepicker", selected_time: value }),
  users: (ids: string[]): Json => ({ type: "multi_users_select", selected_users: ids }),
  checks: (values: string[]): Json => ({ type: "checkboxes", selected_options: values.map((value) => ({ text: plain(value.slice(0, 20)), value })) }),
};
/** state.values for inputs whose block and action ids are the same. */
const same = (fields: Record<string, Json>): Json => Object.fromEntries(Object.entries(fields).map(([id, v]) => [id, { [id]: v }]));

interface Submission {
  callbackId: string;
  values: Json;
  privateMetadata?: string;
  /** The oracle's verdict: this submission must be refused with nothing changed. */
  invalid: boolean;
}

const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 6 });
/** Not an amount, negative, or over the 1e12 limit. */
const BAD_VALUES = ["-5", "−12k", "(100)", "99999999999999", "1e400", "abc"];
/** A deal also needs more than zero. */
const BAD_AMOUNTS = ["0", "0,00", ...BAD_VALUES];
const accountRef = () => fc.oneof(fc.constantFrom(...accountIds), hostileText, fc.constantFrom("0", "-1", "999999999", "1e3", "__proto__"));
const isId = (v: string | null) => v !== null && /^\d{1,12}$/.test(v);
const TODAY = "2026-06-15";

const MODALS: [string, () => fc.Arbitrary<Submission>][] = [
  [
    "add account",
    () =>
      fc
        .record({
          name: fc.oneof(hostileText, fc.constant("Fuzz Co"), hostileText.map((s) => "N".repeat(201) + s)),
          tier: maybe(fc.oneof(fc.constantFrom("key", "growth", "standard"), hostileText)),
          value: fc.oneof(hostileText, fc.constantFrom(...NUMBERS), fc.constantFrom(...BAD_VALUES)),
          industry: hostileText,
          individual: fc.oneof(fc.constant<string[]>([]), fc.constant<string[]>(["individual"]), fc.array(hostileText, { maxLength: 3 })),
        })
        .map((f) => ({
          callbackId: VIEWS.addAccount,
          values: same({
            [ACCOUNT_MODAL.name]: input.text(f.name),
            [ACCOUNT_MODAL.tier]: input.select(f.tier),
            [ACCOUNT_MODAL.value]: input.text(f.value),
            [ACCOUNT_MODAL.industry]: input.text(f.industry),
            [ACCOUNT_MODAL.individual]: input.checks(f.individual),
          }),
          invalid: f.name.startsWith("N".repeat(201)) || BAD_VALUES.includes(f.value) || (f.tier !== null && !["key", "growth", "standard"].includes(f.tier)),
        })),
  ],
  [
    "log touch",
    () =>
      fc
        .record({
          account: maybe(accountRef()),
          kind: maybe(fc.oneof(fc.constantFrom(...TOUCH_KINDS), hostileText)),
          date: maybe(fc.oneof(fc.constantFrom(TODAY, "2026-06-01", "2999-01-01"), fc.constantFrom(...DATES), hostileText)),
          participants: fc.array(fc.oneof(fc.constantFrom("UMENT1", "UPICKED1", "W0ABC"), hostileText), { maxLength: 25 }),
          note: hostileText,
        })
        .map((f) => ({
          callbackId: VIEWS.logTouch,
          values: same({
            [TOUCH_MODAL.account]: input.select(f.account),
            [TOUCH_MODAL.kind]: input.select(f.kind),
            [TOUCH_MODAL.date]: input.date(f.date),
            [TOUCH_MODAL.participants]: input.users(f.participants),
            [TOUCH_MODAL.note]: input.text(f.note),
          }),
          privateMetadata: JSON.stringify({ c: "C0TEST" }),
          invalid: !isId(f.account) || f.kind === null || !(TOUCH_KINDS as readonly string[]).includes(f.kind) || f.date === null || f.date === "2999-01-01" || !/^\d{4}-\d{2}-\d{2}$/.test(f.date),
        })),
  ],
  [
    "follow-up",
    () =>
      fc
        .record({
          account: maybe(accountRef()),
          title: fc.oneof(hostileText, hostileText.map((s) => "T".repeat(501) + s)),
          due: maybe(fc.oneof(fc.constantFrom(TODAY, "2026-07-01", "2020-01-01"), fc.constantFrom(...DATES), hostileText)),
        })
        .map((f) => ({
          callbackId: VIEWS.followUp,
          values: same({ [FOLLOWUP_MODAL.account]: input.select(f.account), [FOLLOWUP_MODAL.title]: input.text(f.title), [FOLLOWUP_MODAL.due]: input.date(f.due) }),
          privateMetadata: JSON.stringify({ c: "C0TEST" }),
          invalid: !isId(f.account) || f.title.startsWith("T".repeat(501)) || f.due === null || f.due === "2020-01-01",
        })),
  ],
  [
    "deal",
    () =>
      fc
        .record({
          account: fc.oneof(hostileText, fc.constantFrom("Acme Corp", "acme", "#1", "")),
          amount: fc.oneof(hostileText, fc.constantFrom(...NUMBERS), fc.constantFrom(...BAD_AMOUNTS)),
          stage: maybe(fc.oneof(fc.constantFrom("prospect", "qualified", "proposal", "negotiation", "won"), hostileText)),
          close: maybe(fc.oneof(fc.constantFrom("2026-12-15", "2020-01-01"), fc.constantFrom(...DATES), hostileText)),
        })
        .map((f) => ({
          callbackId: VIEWS.deal,
          values: {
            [DEAL_MODAL.accountBlock]: { [DEAL_MODAL.accountInput]: input.text(f.account) },
            [DEAL_MODAL.amountBlock]: { [DEAL_MODAL.amountInput]: input.text(f.amount) },
            [DEAL_MODAL.stageBlock]: { [DEAL_MODAL.stageInput]: input.select(f.stage) },
            [DEAL_MODAL.closeBlock]: { [DEAL_MODAL.closeInput]: input.date(f.close) },
          },
          privateMetadata: JSON.stringify({ channelId: "C0TEST" }),
          invalid: BAD_AMOUNTS.includes(f.amount) || f.close === "2020-01-01" || (f.stage !== null && !["prospect", "qualified", "proposal", "negotiation"].includes(f.stage)),
        })),
  ],
  [
    "settings",
    () =>
      fc
        .record({
          time: maybe(fc.oneof(fc.constantFrom("09:00", "25:61", "7:5", "-1:00"), hostileText)),
          days: fc.oneof(fc.constant<string[]>(["1", "2", "3"]), fc.constant<string[]>([]), fc.array(fc.oneof(hostileText, fc.constantFrom("0", "8", "1e1", "__proto__")), { maxLength: 8 })),
          language: maybe(fc.oneof(fc.constantFrom("auto", "en", "de", "fr", "__proto__"), hostileText)),
          zone: fc.oneof(fc.constantFrom("", "Europe/Berlin", "Not/AZone", "UTC+99", "../../etc/passwd"), hostileText),
          paused: fc.oneof(fc.constant<string[]>([]), fc.constant<string[]>(["paused"]), fc.array(hostileText, { maxLength: 2 })),
          skipDates: fc.oneof(fc.constantFrom("", "2026-12-24, 2026-12-31", "2026-02-30", Array.from({ length: 61 }, (_, i) => `2027-01-${String((i % 28) + 1).padStart(2, "0")}`).join(",")), hostileText),
        })
        .map((f) => ({
          callbackId: VIEWS.settings,
          values: same({
            [SETTINGS_MODAL.time]: input.time(f.time),
            [SETTINGS_MODAL.days]: input.checks(f.days),
            [SETTINGS_MODAL.language]: input.select(f.language),
            [SETTINGS_MODAL.zone]: input.text(f.zone),
            [SETTINGS_MODAL.pause]: input.checks(f.paused),
            [SETTINGS_MODAL.skipDates]: input.text(f.skipDates),
          }),
          invalid: f.time === null || f.time === "25:61" || f.days.length === 0 || f.zone === "Not/AZone" || f.language === "fr" || f.skipDates === "2026-02-30",
        })),
  ],
  [
    "gift override",
    () =>
      fc
        .record({
          reason: fc.oneof(hostileText, fc.constantFrom("", "   ", "\n\t")),
          metadata: fc.oneof(
            fc.record({ recipient: hostileText, description: hostileText, cents: fc.constantFrom(1, 50_000, 9_007_199_254_740_991, 0, -5), givenOn: fc.constantFrom("2026-06-01", "2026-99-99", "0000-00-00", "2999-01-01") }).map((g) =>
              JSON.stringify({ accountId: Number(accountIds[0]), accountName: "Acme Corp", kind: "gift", recipientName: g.recipient, amountCents: g.cents, givenOn: g.givenOn, description: g.description, channelId: "C0TEST" }),
            ),
            hostileText,
          ),
        })
        .map((f) => ({
          callbackId: VIEWS.giftOverride,
          values: { [GIFT_OVERRIDE_MODAL.reasonBlock]: { [GIFT_OVERRIDE_MODAL.reasonInput]: input.text(f.reason) } },
          privateMetadata: f.metadata,
          invalid: f.reason.trim() === "" || !f.metadata.startsWith("{"),
        })),
  ],
  [
    "message touch",
    () =>
      fc
        .record({
          account: maybe(accountRef()),
          kind: maybe(fc.oneof(fc.constantFrom(...TOUCH_KINDS), hostileText)),
          note: hostileText,
          metadata: fc.oneof(fc.constant(JSON.stringify({ c: "C0TEST", ts: "1781530000.000100", p: "https://fake-workspace.slack.com/archives/C0TEST/p1781530000000100" })), hostileText),
        })
        .map((f) => ({
          callbackId: VIEWS.messageTouch,
          values: same({ [TOUCH_MODAL.account]: input.select(f.account), [TOUCH_MODAL.kind]: input.select(f.kind), [TOUCH_MODAL.note]: input.text(f.note) }),
          privateMetadata: f.metadata,
          invalid: !isId(f.account) || f.kind === null || !(TOUCH_KINDS as readonly string[]).includes(f.kind),
        })),
  ],
];

/** Slack calls that show something to people: checked for echoed mentions. */
const SHOWN = ["chat.postMessage", "chat.postEphemeral", "chat.update", "views.publish", "views.update", "views.open", "views.push"];

function shownProblems(fromCall: number): string[] {
  return t.fake.calls.slice(fromCall).flatMap((c) => {
    if (!SHOWN.includes(c.method)) return [];
    const message = c.method.startsWith("views.") ? c.body.view : c.body;
    return injectedMentions(message).map((s) => `${c.method} echoed a live mention: …${s}…`);
  });
}

function errorLogs(fromLine: number): string[] {
  return t.logs.slice(fromLine).filter((l) => / ERROR /.test(l));
}

async function submit(s: Submission, who: keyof typeof actors): Promise<void> {
  const user = actors[who].user;
  const payload = viewSubmissionPayload({ callbackId: s.callbackId, userId: user.slackUserId, values: s.values, privateMetadata: s.privateMetadata ?? "" });
  const before = s.invalid ? await counts() : undefined;
  const userBefore = s.invalid ? JSON.stringify(await t.database.db.prisma.user.findUnique({ where: { id: user.id } })) : undefined;
  const acks: unknown[] = [];
  const show = () => JSON.stringify(s.values).slice(0, 600);
  try {
    await t.slack.app.processEvent({ body: payload, ack: async (response?: unknown) => void acks.push(response ?? null) });
  } catch (error) {
    throw new Error(`${s.callbackId} ${show()} threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (acks.length !== 1) throw new Error(`${s.callbackId} ${show()} was acked ${acks.length} times`);
  if (before) {
    const ack = acks[0] as { response_action?: string } | null;
    if (ack?.response_action !== "errors") throw new Error(`${s.callbackId} ${show()} is invalid but was accepted: ${JSON.stringify(ack)}`);
    const after = await counts();
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`${s.callbackId} ${show()} is invalid but changed rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    const userAfter = JSON.stringify(await t.database.db.prisma.user.findUnique({ where: { id: user.id } }));
    if (userAfter !== userBefore) throw new Error(`${s.callbackId} ${show()} is invalid but changed the user's settings`);
  }
}

describe("hostile values in every modal input [sqlite]", () => {
  it.each(MODALS)("the %s modal", async (_name, build) => {
    const fromCall = t.fake.calls.length;
    const fromLog = t.logs.length;
    await fc.assert(fc.asyncProperty(build(), actorArb(), async (s, who) => submit(s, who)), fcOptions(SIZE.perModal));
    // Home refreshes run after the ack; processEvent resolves only once they are done, and settled() makes
    // sure of it for every submission: every call this modal caused has been made.
    await t.deliveries.settled();
    expect(shownProblems(fromCall)).toEqual([]);
    expect(errorLogs(fromLog)).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Through the real HTTP receiver: signed, acked with 200, answered.

describe("hostile input through the real Bolt HTTP receiver [sqlite]", () => {
  it(`acks and answers ${SIZE.http} generated commands and modal submissions`, async () => {
    const allNames = SUBCOMMANDS.flatMap(names);
    const commands = fc.sample(fc.tuple(fc.constantFrom(...allNames), hostileText, fc.constantFrom("UFZREP", "UFZMGR", "UFZADM")), { numRuns: Math.round(SIZE.http * 0.75), seed: SEED });
    const submissions = fc.sample(fc.tuple(fc.integer({ min: 0, max: MODALS.length - 1 }), fc.nat()), { numRuns: SIZE.http - commands.length, seed: SEED });
    const fromCall = t.fake.calls.length;
    const fromLog = t.logs.length;
    const statuses: number[] = [];
    const unanswered: string[] = [];
    const replies: Record<string, unknown>[] = [];
    let next = 0;
    const worker = async () => {
      while (next < commands.length) {
        const i = next++;
        const [name, args, userId] = commands[i]!;
        const id = `fuzz-${i}`;
        const triggerId = newTriggerId();
        const text = `${name} ${args}`;
        const http = await t.post(slashCommandBody({ text, userId, responseUrl: t.fake.responseUrl(id), triggerId }));
        statuses.push(http.status);
        // Answered: an ephemeral reply (in the ack or through response_url), or a modal opened with this trigger.
        const answered = await Promise.race([
          t.fake.commandReply(http, id, 10_000).then((r) => (replies.push(r.body), true)),
          t.fake.waitFor("views.open", (c) => c.body.trigger_id === triggerId, 10_000).then(() => true),
        ]).catch(() => false);
        if (!answered) unanswered.push(text.slice(0, 200));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    for (const [which, seed] of submissions) {
      const [, build] = MODALS[which]!;
      const [s] = fc.sample(build(), { numRuns: 1, seed });
      const payload = viewSubmissionPayload({ callbackId: s!.callbackId, userId: "UFZREP", values: s!.values, privateMetadata: s!.privateMetadata ?? "" });
      const http = await t.post(interactionBody(payload));
      statuses.push(http.status);
    }
    // The submissions were only acked: let the app finish with every delivery before looking for problems.
    await t.deliveries.settled();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(SIZE.http);
    expect(unanswered).toEqual([]);
    expect(replies.flatMap((r) => problemsOf([r]))).toEqual([]);
    expect(shownProblems(fromCall)).toEqual([]);
    expect(errorLogs(fromLog)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
