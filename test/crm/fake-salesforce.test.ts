import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";

/** The fake answers as the Salesforce REST docs describe (token, query/queryAll, paging, errors). */
describe("fake Salesforce", () => {
  let sf: FakeSalesforce;
  let token = "";
  let clock = new Date("2026-11-01T10:00:00Z");
  const api = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${sf.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const q = (soql: string, endpoint = "query") => `/services/data/v62.0/${endpoint}?q=${encodeURIComponent(soql)}`;

  beforeAll(async () => {
    sf = await FakeSalesforce.start({ maxPageSize: 2, now: () => clock });
    const owner = sf.create("User", { Name: "Ada", Email: "ada@example.com" });
    for (const name of ["Acme", "Globex", "Initech"]) {
      sf.create("Account", { Name: name, OwnerId: owner });
      clock = new Date(clock.getTime() + 1000);
    }
  });
  afterAll(async () => sf?.stop());

  it("issues a token for the client-credentials flow and refuses a wrong secret with invalid_client", async () => {
    const form = (secret: string) =>
      fetch(`${sf.url}/services/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: sf.clientId, client_secret: secret }),
      });
    const bad = await form("wrong");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_client" });
    const good = await form(sf.clientSecret);
    const body = (await good.json()) as { access_token: string; instance_url: string; id: string };
    expect(body.instance_url).toBe(sf.url);
    expect(body.id).toMatch(/\/id\/00D\w+\/005\w+$/);
    token = body.access_token;
  });

  it("answers 401 INVALID_SESSION_ID without a valid session", async () => {
    const res = await fetch(`${sf.url}${q("SELECT Id FROM Account")}`, { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
  });

  it("pages through nextRecordsUrl until done, in SystemModstamp order, with relationship fields and Sforce-Limit-Info", async () => {
    const first = await api(q("SELECT Id, Name, Owner.Email, SystemModstamp FROM Account ORDER BY SystemModstamp, Id"));
    expect(first.headers.get("sforce-limit-info")).toMatch(/^api-usage=\d+\/15000$/);
    const page1 = (await first.json()) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: { Name: string; Owner: { Email: string }; SystemModstamp: string }[] };
    expect(page1).toMatchObject({ totalSize: 3, done: false });
    expect(page1.records.map((r) => r.Name)).toEqual(["Acme", "Globex"]);
    expect(page1.records[0]!.Owner.Email).toBe("ada@example.com");
    expect(page1.records[0]!.SystemModstamp).toBe("2026-11-01T10:00:00.000+0000");
    const page2 = (await (await api(page1.nextRecordsUrl)).json()) as { done: boolean; records: { Name: string }[]; nextRecordsUrl?: string };
    expect(page2.done).toBe(true);
    expect(page2.nextRecordsUrl).toBeUndefined();
    expect(page2.records.map((r) => r.Name)).toEqual(["Initech"]);
  });

  it("filters on an unquoted datetime and refuses a quoted one with INVALID_FIELD", async () => {
    const since = await (await api(q("SELECT Id, Name FROM Account WHERE SystemModstamp > 2026-11-01T10:00:00Z ORDER BY SystemModstamp, Id"))).json();
    expect((since as { totalSize: number }).totalSize).toBe(2);
    const quoted = await api(q("SELECT Id FROM Account WHERE SystemModstamp > '2026-11-01T10:00:00Z'"));
    expect(quoted.status).toBe(400);
    expect(((await quoted.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_FIELD");
    const unknown = await api(q("SELECT Nope FROM Account"));
    expect(((await unknown.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_FIELD");
  });

  it("returns deleted records through queryAll only", async () => {
    const doomed = sf.create("Account", { Name: "Doomed" });
    sf.remove("Account", doomed);
    const visible = (await (await api(q("SELECT Id, IsDeleted FROM Account LIMIT 100"))).json()) as { totalSize: number };
    const all = (await (await api(q("SELECT Id, IsDeleted FROM Account WHERE SystemModstamp >= 2026-11-01T10:00:03Z", "queryAll"))).json()) as { records: { Id: string; IsDeleted: boolean }[] };
    expect(visible.totalSize).toBe(3);
    expect(all.records).toContainEqual(expect.objectContaining({ Id: doomed, IsDeleted: true }));
  });

  it("injects faults in Salesforce's error shape", async () => {
    sf.fail({ on: "query", status: 403, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." });
    const limited = await api(q("SELECT Id FROM Account"));
    expect(limited.status).toBe(403);
    expect(await limited.json()).toEqual([{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    expect((await api(q("SELECT Id FROM Account"))).status).toBe(200);
  });
});

describe("npm run fake-salesforce prompt", () => {
  it("seeds a book of business for the given email and changes records by name, bumping SystemModstamp", async () => {
    const { runFakeCommand, seedFakeSalesforce } = await import("../../src/demo/fake-salesforce-main.js");
    let clock = new Date("2026-11-30T09:00:00Z");
    const sf = await FakeSalesforce.start({ now: () => clock });
    try {
      seedFakeSalesforce(sf, "me@example.com");
      expect(runFakeCommand(sf, "list")).toMatch(/Opportunity 006\w+ {2}Rocket skates {2}12000 {2}Qualification {2}closes 2026-12-18/);
      clock = new Date("2026-11-30T09:10:00Z");
      expect(runFakeCommand(sf, 'update opportunity "Rocket skates" Amount=30500 StageName="Negotiation/Review"')).toContain("SystemModstamp 2026-11-30T09:10:00.000+0000");
      expect(sf.find("Opportunity", "rocket skates")).toMatchObject({ Amount: 30500, StageName: "Negotiation/Review" });
      expect(runFakeCommand(sf, 'create account Name="Wayne Enterprises"')).toMatch(/^created Account 001/);
      expect(sf.find("Account", "Wayne Enterprises")?.OwnerId).toBe(sf.list("User")[0]!.Id);
      expect(runFakeCommand(sf, "delete account Globex")).toMatch(/^deleted Account/);
      expect(runFakeCommand(sf, "list")).not.toMatch(/Account \w+ {2}Globex/);
      expect(runFakeCommand(sf, "update account Nobody Name=x")).toBe('No Account "Nobody". Try: list');
    } finally {
      await sf.stop();
    }
  });
});
