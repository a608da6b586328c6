import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { migrate, migrationStatus, readMigrations, splitStatements } from "../../src/db/migrate.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/** Model blocks of a schema file, minus the lines that must differ per provider. */
function models(path: string): string {
  const text = readFileSync(path, "utf8");
  return text.slice(text.indexOf("model "));
}

describe("schemas", () => {
  it("the SQLite and PostgreSQL schemas declare the same models, field for field", () => {
    expect(models("prisma/postgresql/schema.prisma")).toBe(models("prisma/schema.prisma"));
  });

  it("both providers have the same migration history", () => {
    expect(readMigrations("postgresql").map((m) => m.name)).toEqual(readMigrations("sqlite").map((m) => m.name));
    expect(readMigrations("sqlite").length).toBeGreaterThan(0);
  });

  it("splits migration SQL into statements without comments", () => {
    expect(splitStatements("-- c\nCREATE TABLE a (x INT);\n\n-- d\nCREATE INDEX i ON a(x);\n")).toEqual([
      "CREATE TABLE a (x INT)",
      "CREATE INDEX i ON a(x)",
    ]);
  });
});

describeEachProvider("migrations [%s]", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("applies every migration and records it in _prisma_migrations", async () => {
    const status = await migrationStatus(t.db);
    expect(status.pending).toEqual([]);
    expect(status.problems).toEqual([]);
    expect(status.applied).toEqual(readMigrations(provider).map((m) => m.name));
    const rows = await t.db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; applied_steps_count: number | bigint }[]>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations(provider).map((m) => m.checksum));
    expect(Number(rows[0].applied_steps_count)).toBe(1);
  });

  it("is idempotent: a second run applies nothing", async () => {
    expect(await migrate(t.db)).toEqual([]);
  });

  it("creates a usable schema", async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: "T1" } });
    const user = await t.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: "U1", timezone: "Europe/Berlin" } });
    const account = await t.db.prisma.account.create({
      data: { workspaceId: ws.id, ownerId: user.id, name: "Acme", nameKey: "acme", annualValueCents: 5_000_000_000n },
    });
    expect(account.annualValueCents).toBe(5_000_000_000n);
    await t.db.prisma.outbox.create({ data: { recipientType: "user", recipient: "U1", localDate: "2026-11-27", kind: "digest", body: { create: { payload: "{}" } } } });
    await expect(
      t.db.prisma.outbox.create({ data: { recipientType: "user", recipient: "U1", localDate: "2026-11-27", kind: "digest", body: { create: { payload: "{}" } } } }),
    ).rejects.toThrow();
  });
});

describe("Prisma's own tooling agrees with the runner [sqlite]", () => {
  it("`prisma migrate status` reports the database up to date", async () => {
    const t = await createTestDatabase("sqlite");
    try {
      const out = execFileSync("npx", ["prisma", "migrate", "status"], {
        env: { ...process.env, DATABASE_URL: t.url },
        encoding: "utf8",
      });
      expect(out).toMatch(/Database schema is up to date/);
    } finally {
      await t.drop();
    }
  });

  it("a database migrated by `prisma migrate deploy` is accepted by the runner as up to date", async () => {
    const t = await createTestDatabase("sqlite");
    const url = t.url.replace("test.db", "deployed.db");
    try {
      execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
      const db = await openDatabase(url);
      try {
        const s = await migrationStatus(db);
        expect(s.pending).toEqual([]);
        expect(s.problems).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await t.drop();
    }
  });
});
