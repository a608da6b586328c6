import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstant } from "../../src/demo/demo-data.js";

const run = promisify(execFile);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("npm run demo (node --import tsx src/demo/main.ts)", () => {
  let dataDir: string;
  let stdout = "";
  let stderr = "";
  let exitCode = -1;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ae-demo-"));
    const env = { ...process.env, AE_DEMO_DATA_DIR: dataDir, LOG_LEVEL: "", FAKE_SLACK_DEBUG: "" };
    try {
      const result = await run(process.execPath, ["--import", "tsx", "src/demo/main.ts"], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
      stdout = result.stdout;
      stderr = result.stderr;
      exitCode = 0;
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      stdout = e.stdout ?? "";
      stderr = e.stderr ?? "";
      exitCode = typeof e.code === "number" ? e.code : 1;
    }
  }, 90_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The text of the section whose heading contains `heading`, up to the next heading. */
  function section(heading: string): string {
    const start = stdout.indexOf(heading);
    expect(start, `no section “${heading}” in:\n${stdout}`).toBeGreaterThanOrEqual(0);
    const next = stdout.indexOf("\n── ", start + heading.length);
    return stdout.slice(start, next === -1 ? undefined : next);
  }

  it("exits 0 with nothing on stderr", () => {
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/Demo finished in \d+\.\d s: 14 commands \(2 in German\), 3 button clicks, 6 DMs, \d+ channel posts\./);
  });

  it("shows each scripted command with who typed it and the rendered reply", () => {
    expect(section("/ae help  ·  Alice Adams (New York)")).toContain("/ae accounts");
    expect(section("/ae accounts  ·  Alice Adams (New York)")).toContain("Brightwater Capital");
    expect(section("/ae account brightwater  ·  Alice Adams")).toContain("Latest touches");
    expect(section("/ae log brightwater call with @carlos")).toContain("together with @Carlos Castillo");
    expect(section("/ae followup brightwater tomorrow")).toContain("send the redlined MSA");
    expect(section("/ae quota  ·  Alice Adams")).toMatch(/Ahead of pace|attained/i);
    expect(section('/ae deal "Prairie Bioscience" 85k')).toContain("Deal opened on *Prairie Bioscience*");
    expect(section("/ae won lakeshore 95k  ·  Carlos Castillo (Chicago)")).toContain("Lakeshore Mutual");
    expect(section("/ae gift kingsway")).toMatch(/Not logged.*US\$45 over the US\$\d+ per-person limit/);
    expect(section("/ae gift kingsway")).toContain("[ Confirm with a reason ]");
    expect(section("/ae leaderboard quarter  ·  Evelyn Tan (Singapore, en-SG)")).toMatch(/1 {2}Alice Adams/);
    expect(section("/ae history lakeshore  ·  Carlos Castillo")).toMatch(/History of Lakeshore Mutual.*@Carlos Castillo changed deal #\d+/s);
    expect(section("/ae history lakeshore  ·  Carlos Castillo")).toContain("the command line (demo seed) created the account");
  });

  it("answers the German user in German", () => {
    expect(section("/ae erfassen löwenherz")).toContain("Erfasst: Termin mit *Löwenherz Biotech*");
    expect(section("/ae wiedervorlagen  ·  Bernd Bauer (Berlin, de-DE)")).toContain("Deine offenen Follow-ups");
    expect(section("DM to Bernd Bauer (Berlin, de-DE)")).toContain("Dein Tag");
  });

  it("shows what the button clicks changed", () => {
    expect(section("Click [ Erledigt ] next to “Angebot nachfassen”")).toContain("Follow-up #8 erledigt: Angebot nachfassen");
    const dm = section("Click [ Done ] on “Confirm the QBR agenda”");
    expect(dm).toContain("updated in place");
    expect(dm).toMatch(/✅ Done: \*Confirm the QBR agenda\*/);
    // The slipping deal pushed a week from the digest: its row now says so, the others are untouched.
    const pushed = section("Click [ Push 1 week ] on the slipping Copperfield Creative deal");
    expect(pushed).toMatch(/📅 \*Copperfield Creative\* · close date moved to Mon, \w{3} \d{1,2}/);
    expect(pushed).toMatch(/✅ Done: \*Confirm the QBR agenda\*/);
  });

  it("prints each daily digest DM at the person's 09:00, and the manager's weekly digest", () => {
    for (const who of ["Evelyn Tan (Singapore, en-SG)", "Bernd Bauer (Berlin, de-DE)", "Dana Doyle (London, en-GB)", "Alice Adams (New York)", "Carlos Castillo (Chicago)"]) {
      expect(section(`DM to ${who} · Mon 09:00 local`)).toMatch(/Your day|Dein Tag/);
    }
    // A slipping deal: its close date passed nine days ago.
    const alice = section("DM to Alice Adams (New York) · Mon 09:00 local");
    expect(alice).toContain("🚨 *Deals that need attention*");
    expect(alice).toMatch(/\*Copperfield Creative\* — Brand refresh retainer · \$45,000 · proposal\n\s*Close date .+ passed 9 days ago/);
    expect(alice).toContain("[ Push 1 week ] [ Push to… ▾ ] [ Won ] [ Lost ] [ Update stage ▾ ]");
    const morgan = section("DM to Morgan Reed (New York)");
    expect(morgan).toContain("Reps behind pace");
    // The team's slipping deals: Alice's, by the same rules as her own reminder, with her name.
    expect(morgan).toContain("🚨 *Slipping deals in your team*");
    expect(morgan).toMatch(/• \*Copperfield Creative\* — Brand refresh retainer · \$45,000 · proposal · @Alice Adams — Close date .+ passed 9 days ago/);
    expect(section("DM to Carlos Castillo (Chicago)")).toContain("behind pace");
  });

  it("shows the manager's /ae pipeline team roll-up, a line per rep, and sends its chart to his DM", () => {
    const pipeline = section("/ae pipeline team chart  ·  Morgan Reed (New York)");
    expect(pipeline).toMatch(/\*Your team's pipeline · Q\d FY\d{4}\* · .+ · 5 reps/);
    expect(pipeline).toContain("*By stage*");
    expect(pipeline).toContain("*By forecast category*");
    expect(pipeline).toMatch(/Won \+ commit: \*\$[\d,]+\* — \*\d+%\* of quota/);
    expect(pipeline).toMatch(/Won \+ commit \+ best case: \*\$[\d,]+\* — \*\d+%\* of quota/);
    expect(pipeline).toMatch(/Coverage: \*\d+\.\d×\*|Quota reached/);
    expect(pipeline).toContain("*By rep* — 1–5 of 5, by name:");
    for (const rep of ["Alice Adams", "Bernd Bauer", "Carlos Castillo", "Dana Doyle", "Evelyn Tan"]) expect(pipeline).toContain(`*@${rep}* — won `);
    expect(pipeline).toContain("1 rep has no quota for"); // Evelyn, hired this quarter
    expect(pipeline).toMatch(/📎 .*pipeline-FY\d{4}-Q\d\.png, \d+ KB PNG sent to Morgan Reed's DM/);
    const png = join(dataDir, "demo-pipeline.png");
    expect(readFileSync(png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(stdout).toContain(`Pipeline chart: ${png}.`);
  });

  it("prints the weekly leaderboard post and the celebration, and writes the chart PNG", () => {
    const post = section("#sales-leaderboard (channel post) · Mon 09:00 New York");
    expect(post).toContain("Global Accounts");
    expect(post).toMatch(/1 {2}Alice Adams/);
    expect(post).toMatch(/📎 .*\.png, \d+ KB PNG uploaded next to the post/);
    expect(stdout).toContain("🎉 @Carlos Castillo just closed *Lakeshore Mutual*");
    const png = join(dataDir, "demo-leaderboard.png");
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(existsSync(join(dataDir, "demo.db"))).toBe(true);
  });
});

describe("demoInstant", () => {
  const ny = (iso: string) => DateTime.fromISO(iso, { zone: "America/New_York" }).toJSDate();
  const shown = (d: Date) => DateTime.fromJSDate(d, { zone: "America/New_York" }).toFormat("yyyy-MM-dd ccc HH:mm");

  it.each([
    ["this week's Monday mid-quarter", "2026-11-27T15:00", "2026-11-23 Mon 09:05"],
    ["a Monday itself", "2026-11-23T08:00", "2026-11-23 Mon 09:05"],
    ["too early in the quarter: five weeks in", "2026-10-02T12:00", "2026-11-09 Mon 09:05"],
    ["too late in the quarter: two and a half weeks left", "2026-12-30T12:00", "2026-12-14 Mon 09:05"],
    ["late in a quarter with a DST change", "2026-03-25T12:00", "2026-03-16 Mon 09:05"],
  ])("%s", (_label, real, expected) => {
    expect(shown(demoInstant(ny(real)))).toBe(expected);
  });
});
