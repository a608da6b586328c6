/**
 * The scripted demo session, in the order it happens on the demo Monday:
 *   1. each person's daily digest at 09:00 their time (Singapore, Berlin, London, New York), the
 *      manager's weekly digest and the team's weekly leaderboard post with its chart;
 *   2. from 09:05 New York time: `/ae` commands by different people (two in German), a deal won
 *      (and its celebration in the team channel), a gift over the FINRA limit, two button clicks;
 *      and the manager's `/ae pipeline team chart` (the team's forecast, its chart sent to his DM);
 *   3. 10:00 New York = 09:00 Chicago: Carlos's digest, which already reflects his morning.
 * Everything goes through the real app and the Slack emulator; what each person would see is
 * printed with Block Kit rendered as text.
 */
import { DateTime } from "luxon";
import { localDateOf } from "../domain/time.js";
import { ACTIONS } from "../slack/ids.js";
import { CHANNELS, PEOPLE, cityOf, type DemoPerson, type PersonKey } from "./demo-data.js";
import { renderMessage } from "./render-blocks.js";
import { findButton, type DemoSession } from "./session.js";
import type { FakeMessage } from "./slack-emulator.js";

type Json = Record<string, unknown>;

export interface DemoOutput {
  write(text: string): unknown;
}

export interface ScriptReport {
  commands: number;
  germanCommands: number;
  clicks: number;
  directMessages: number;
  channelPosts: number;
  /** The first leaderboard chart uploaded (PNG bytes) and its Slack file name. */
  chart?: { filename: string; bytes: Buffer };
  /** The pipeline chart the manager asked for (uploaded to their DM). */
  pipelineChart?: { filename: string; bytes: Buffer };
}

const RULE = "─".repeat(78);

/** Formats what the demo prints: headings, sections, rendered messages. */
export class Printer {
  constructor(
    private readonly out: DemoOutput,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  line(text = ""): void {
    this.out.write(`${text}\n`);
  }

  part(title: string): void {
    this.line();
    this.line(RULE);
    this.line(title);
    this.line(RULE);
  }

  section(title: string): void {
    this.line();
    this.line(`── ${title} ──`);
  }

  note(text: string): void {
    this.line(`   ${text}`);
  }

  /** A message (text + blocks) as the person reads it, indented. */
  message(message: Json): void {
    this.body(renderMessage(message, this.names));
  }

  private body(text: string): void {
    for (const l of text.split("\n")) this.line(`   ${l}`.trimEnd());
  }
}

/** "Alice Adams (New York)", "Bernd Bauer (Berlin, de-DE)". */
export function personLabel(p: DemoPerson): string {
  return `${p.name} (${cityOf(p.zone)}${p.locale === "en-US" ? "" : `, ${p.locale}`})`;
}

function localTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("ccc HH:mm");
}

function personBySlackId(id: string): DemoPerson | undefined {
  return Object.values(PEOPLE).find((p) => p.slackUserId === id);
}

/** Plays the scripted session; the session's clock is at the demo instant when this starts. */
export async function playScript(session: DemoSession, out: DemoOutput): Promise<ScriptReport> {
  const printer = new Printer(out, session.names());
  const report: ScriptReport = { commands: 0, germanCommands: 0, clicks: 0, directMessages: 0, channelPosts: 0 };
  const start = session.clock.now;
  const ny = PEOPLE.morgan.zone;

  const shownFiles = new Set<string>();
  /** Prints the DMs and channel posts delivered since the last call. */
  const printDeliveries = (): FakeMessage[] => {
    const fresh = session.newMessages();
    for (const m of fresh) {
      const person = m.channel.startsWith("D") ? personBySlackId(m.channel.slice(1)) : undefined;
      if (person) {
        printer.section(`DM to ${personLabel(person)} · ${localTime(session.clock.now, person.zone)} local`);
        report.directMessages++;
      } else {
        const name = session.fake.channels.get(m.channel)?.name ?? m.channel;
        printer.section(`#${name} (channel post) · ${localTime(session.clock.now, ny)} New York`);
        report.channelPosts++;
      }
      printer.message(m.message);
      // A leaderboard post's chart is uploaded right after it: the channel's next file not yet shown.
      const file = session.uploadedFiles().find((f) => f.channel === m.channel && !shownFiles.has(f.id));
      if (file && !m.channel.startsWith("D")) {
        shownFiles.add(file.id);
        report.chart ??= { filename: file.filename, bytes: file.bytes };
        printer.note(`📎 ${file.title ?? file.filename} — ${file.filename}, ${Math.round(file.bytes.length / 1024)} KB PNG uploaded next to the post`);
      }
    }
    return fresh;
  };

  /** `/ae <text>` typed by `who`, one minute after the previous step. */
  const command = async (who: PersonKey, text: string, german = false): Promise<Json> => {
    const person = PEOPLE[who];
    session.clock.now = new Date(session.clock.now.getTime() + 60_000);
    printer.section(`/ae ${text.replace(/<@(\w+)\|[^>]*>/g, (_m, id: string) => `@${personBySlackId(id)?.handle ?? id}`)}  ·  ${personLabel(person)}, ${localTime(session.clock.now, person.zone)}`);
    const reply = await session.command(person, text);
    printer.message(reply);
    report.commands++;
    if (german) report.germanCommands++;
    return reply;
  };

  // 1. Morning: everyone's 09:00, in the order the clocks reach it. One scheduler pass per instant
  //    runs every job (reminders, the manager digest, leaderboards), as the minute tick would.
  const nineAm = new Map<number, DemoPerson[]>();
  for (const p of Object.values(PEOPLE)) {
    const at = DateTime.fromISO(localDateOf(start, p.zone), { zone: p.zone }).set({ hour: 9 }).toMillis();
    nineAm.set(at, [...(nineAm.get(at) ?? []), p]);
  }
  const instants = [...nineAm.keys()].sort((a, b) => a - b);
  const jobs = ["reminders", "manager-digest", "leaderboards"];
  const runMorning = async (at: number) => {
    const people = nineAm.get(at) ?? [];
    const where = [...new Set(people.map((p) => cityOf(p.zone)))].join(" & ");
    printer.line();
    printer.line(`▸ 09:00 in ${where} = ${localTime(new Date(at), ny)} in New York — scheduler tick`);
    await session.runJobs(jobs, new Date(at));
    if (printDeliveries().length === 0) printer.note("(nothing to send)");
  };

  printer.part(`1 · ${DateTime.fromJSDate(start, { zone: ny }).toFormat("cccc d LLLL")}: the daily digests arrive at 09:00 in each person's time zone`);
  for (const at of instants.filter((i) => i <= start.getTime())) await runMorning(at);

  // 2. Slash commands and buttons, from 09:05 in New York.
  session.clock.now = start;
  printer.part(`2 · From ${localTime(start, ny)} New York: slash commands and buttons (replies are only visible to the person)`);
  await command("alice", "help");
  await command("alice", "accounts");
  await command("alice", "account brightwater");
  await command("alice", `log brightwater call with <@${PEOPLE.carlos.slackUserId}|${PEOPLE.carlos.handle}> walked through the renewal terms`);
  await command("alice", "followup brightwater tomorrow send the redlined MSA");
  await command("alice", "quota");
  await command("carlos", 'deal "Prairie Bioscience" 85k stage:proposal close:friday');
  const mark = session.callMark();
  await command("carlos", "won lakeshore 95k");
  await session.waitForPost(CHANNELS.leaderboard.id, mark);
  printDeliveries();
  await command("dana", `gift kingsway "Dr. Priya Shah" 95 Thank-you hamper after the pilot`);
  await command("bernd", "erfassen löwenherz termin Studiendesign mit Dr. Vogel besprochen", true);
  const list = await command("bernd", "wiedervorlagen", true);

  const listButton = findButton(list.blocks, "Angebot nachfassen", ACTIONS.followUpDoneInList);
  if (!listButton) throw new Error("the German follow-up list shows no Erledigt button for “Angebot nachfassen”");
  session.clock.now = new Date(session.clock.now.getTime() + 60_000);
  printer.section(`Click [ ${listButton.text} ] next to “Angebot nachfassen”  ·  ${personLabel(PEOPLE.bernd)}, ${localTime(session.clock.now, PEOPLE.bernd.zone)}`);
  printer.message(await session.clickInEphemeral(PEOPLE.bernd, listButton));
  report.clicks++;

  const aliceDm = session.fake.messages.find((m) => m.channel === `D${PEOPLE.alice.slackUserId}` && !m.ephemeral);
  const dmButton = aliceDm && findButton(aliceDm.message.blocks, "Confirm the QBR agenda", ACTIONS.followUpDone);
  if (!aliceDm || !dmButton) throw new Error("Alice's digest shows no Done button for “Confirm the QBR agenda”");
  session.clock.now = new Date(session.clock.now.getTime() + 60_000);
  printer.section(`Click [ ${dmButton.text} ] on “Confirm the QBR agenda” in the 09:00 digest  ·  ${personLabel(PEOPLE.alice)}, ${localTime(session.clock.now, PEOPLE.alice.zone)}`);
  printer.note("The digest DM is updated in place:");
  printer.message(await session.clickInMessage(PEOPLE.alice, aliceDm, dmButton));
  report.clicks++;

  // The slipping deal in the same digest: pushed a week, the row replaced in place.
  const pushButton = findButton(aliceDm.message.blocks, "Copperfield Creative", ACTIONS.dealPushWeek);
  if (!pushButton) throw new Error("Alice's digest shows no Push 1 week button for Copperfield Creative's deal");
  session.clock.now = new Date(session.clock.now.getTime() + 60_000);
  printer.section(`Click [ ${pushButton.text} ] on the slipping Copperfield Creative deal  ·  ${personLabel(PEOPLE.alice)}, ${localTime(session.clock.now, PEOPLE.alice.zone)}`);
  printer.message(await session.clickInMessage(PEOPLE.alice, aliceDm, pushButton));
  report.clicks++;

  await command("evelyn", "leaderboard quarter");
  // The audit trail: the win above, and the account as the seed made it.
  await command("carlos", "history lakeshore");

  // The manager's forecast call: the team's pipeline of the quarter, and its chart in his DM.
  const beforePipeline = session.callMark();
  await command("morgan", "pipeline team chart");
  const morganDm = `D${PEOPLE.morgan.slackUserId}`;
  await session.waitForUpload(morganDm, beforePipeline);
  const pipelineChart = session.uploadedFiles().find((f) => f.channel === morganDm);
  if (pipelineChart) {
    report.pipelineChart = { filename: pipelineChart.filename, bytes: pipelineChart.bytes };
    printer.note(`📎 ${pipelineChart.title ?? pipelineChart.filename} — ${pipelineChart.filename}, ${Math.round(pipelineChart.bytes.length / 1024)} KB PNG sent to ${PEOPLE.morgan.name}'s DM`);
  }

  // 3. The rest of the morning: the clocks that reach 09:00 later (Chicago).
  const later = instants.filter((i) => i > start.getTime());
  if (later.length > 0) {
    printer.part("3 · Later that morning");
    for (const at of later) await runMorning(at);
  }

  return report;
}
