import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "../../src/db/sql.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

describe("prepared statements are reused on SQLite [sqlite]", () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.drop();
    t = undefined;
  });

  it("compiles a query once however often it runs, with each run's own parameters", async () => {
    // Spied before the connection opens: the cache keeps a reference to the real `prepare`.
    const prepare = vi.spyOn(BetterSqlite3.prototype, "prepare");
    t = await createTestDatabase("sqlite");
    const prisma = t.db.prisma;
    const ws = await prisma.workspace.create({ data: { slackTeamId: "TCACHE", name: "Cache" } });
    for (const name of ["Ada", "Bo", "Cy"]) await prisma.user.create({ data: { workspaceId: ws.id, slackUserId: `U${name}`, name, timezone: "UTC" } });
    const byName = (name: string) => prisma.$queryRaw<{ name: string }[]>(sql`SELECT "name" FROM "User" WHERE "name" = ${name}`);
    const seen = [];
    for (const name of ["Ada", "Bo", "Cy", "Ada", "Nobody"]) seen.push((await byName(name)).map((r) => r.name));
    expect(seen).toEqual([["Ada"], ["Bo"], ["Cy"], ["Ada"], []]);
    expect(prepare.mock.calls.filter(([text]) => String(text).includes('WHERE "name" ='))).toHaveLength(1);
  });

  it("writes and transactions still work through cached statements", async () => {
    t = await createTestDatabase("sqlite");
    const prisma = t.db.prisma;
    const ws = await prisma.workspace.create({ data: { slackTeamId: "TCACHE2", name: "Cache" } });
    await prisma.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.team.create({ data: { workspaceId: ws.id, name: `T${i}`, nameKey: `t${i}` } });
    });
    await expect(prisma.$transaction(async (tx) => {
      await tx.team.create({ data: { workspaceId: ws.id, name: "T9", nameKey: "t9" } });
      throw new Error("roll back");
    })).rejects.toThrow("roll back");
    expect((await prisma.team.findMany({ orderBy: { name: "asc" } })).map((x) => x.name)).toEqual(["T0", "T1", "T2"]);
  });
});
