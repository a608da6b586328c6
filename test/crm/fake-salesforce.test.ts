import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

  describe("writes, as the REST API docs describe them", () => {
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${sf.url}/services/data/v62.0${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const acme = () => String(sf.find("Account", "Acme")!.Id);

    it("creates a record (201 { id, success, errors }), reads it back, PATCHes it (204) and finds it by its external id", async () => {
      const created = await send("POST", "/sobjects/Task", { Subject: "Call: renewal", Status: "Completed", TaskSubtype: "Call", ActivityDate: "2026-11-02", WhatId: acme().slice(0, 15), AE_Assistant_Id__c: "T1-touch-1" });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string; success: boolean };
      expect(id).toMatch(/^00T\w{15}$/);
      expect(sf.get("Task", id)).toMatchObject({ Subject: "Call: renewal", Priority: "Normal", IsClosed: true, WhatId: acme().slice(0, 15) });
      const read = (await (await send("GET", `/sobjects/Task/${id}?fields=Id,Status,SystemModstamp`)).json()) as Record<string, unknown>;
      expect(read).toMatchObject({ Id: id, Status: "Completed", attributes: { type: "Task" } });
      expect(Object.keys(read)).toEqual(["attributes", "Id", "Status", "SystemModstamp"]);
      expect((await send("PATCH", `/sobjects/Task/${id}`, { Subject: "Call: renewal agreed" })).status).toBe(204);
      expect(sf.get("Task", id).Subject).toBe("Call: renewal agreed");
      const byKey = await send("GET", "/sobjects/Task/AE_Assistant_Id__c/T1-touch-1?fields=Id");
      expect(((await byKey.json()) as { Id: string }).Id).toBe(id);
      expect((await send("GET", "/sobjects/Task/AE_Assistant_Id__c/T1-touch-999")).status).toBe(404);
    });

    it("refuses what Salesforce refuses: unknown fields, read-only and create-only fields, required fields, restricted picklists, bad references", async () => {
      const unknown = await send("POST", "/sobjects/Task", { Subject: "x", Nope__c: 1 });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual([{ message: "No such column 'Nope__c' on sobject of type Task", errorCode: "INVALID_FIELD" }]);
      const opp = await send("POST", "/sobjects/Opportunity", { Name: "Acme deal", StageName: "Closed Won" });
      expect(await opp.json()).toEqual([{ message: "Required fields are missing: [CloseDate]", errorCode: "REQUIRED_FIELD_MISSING", fields: ["CloseDate"] }]);
      const stage = await send("POST", "/sobjects/Opportunity", { Name: "Acme deal", StageName: "Mystery", CloseDate: "2026-12-01" });
      expect(((await stage.json()) as { errorCode: string; fields: string[] }[])[0]).toMatchObject({ errorCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", fields: ["StageName"] });
      const ref = await send("POST", "/sobjects/Task", { Subject: "x", WhatId: "001000000000000" });
      expect(((await ref.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_CROSS_REFERENCE_KEY");
      const { id } = (await (await send("POST", "/sobjects/Task", { Subject: "x", TaskSubtype: "Email" })).json()) as { id: string };
      const subtype = await send("PATCH", `/sobjects/Task/${id}`, { TaskSubtype: "Call" });
      expect(((await subtype.json()) as { errorCode: string; fields: string[] }[])[0]).toMatchObject({ errorCode: "INVALID_FIELD_FOR_INSERT_UPDATE", fields: ["TaskSubtype"] });
      const event = await send("POST", "/sobjects/Event", { Subject: "Demo", StartDateTime: "2026-11-02T10:00:00Z" });
      expect(((await event.json()) as { errorCode: string }[])[0]!.errorCode).toBe("REQUIRED_FIELD_MISSING");
    });

    it("takes up to 200 records per sObject Collections request, each with its SaveResult (errors carry statusCode), and refuses a second record with the same external id", async () => {
      sf.addValidationRule("Task", { message: "Subject must not be TBD", field: "Subject", when: (r) => r.Subject === "TBD" });
      const res = await send("POST", "/composite/sobjects", {
        allOrNone: false,
        records: [
          { attributes: { type: "Task" }, Subject: "one", AE_Assistant_Id__c: "T1-touch-10" },
          { attributes: { type: "Task" }, Subject: "TBD" },
          { attributes: { type: "Event" }, Subject: "Demo", StartDateTime: "2026-11-02T10:00:00Z", DurationInMinutes: 60, AE_Assistant_Id__c: "T1-touch-11" },
          { attributes: { type: "Task" }, Subject: "again", AE_Assistant_Id__c: "T1-touch-10" },
        ],
      });
      expect(res.status).toBe(200);
      const results = (await res.json()) as { id?: string; success: boolean; errors: { statusCode: string; message: string; fields: string[] }[] }[];
      expect(results.map((r) => r.success)).toEqual([true, false, true, false]);
      expect(results[1]!.errors).toEqual([{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Subject must not be TBD", fields: ["Subject"] }]);
      expect(results[3]!.errors[0]).toMatchObject({ statusCode: "DUPLICATE_VALUE", message: `duplicate value found: AE_Assistant_Id__c duplicates value on record with id: ${results[0]!.id}` });
      expect(sf.get("Event", results[2]!.id!)).toMatchObject({ ActivityDate: "2026-11-02", EndDateTime: "2026-11-02T11:00:00.000+0000" });
      const tooMany = await send("POST", "/composite/sobjects", { records: Array.from({ length: 201 }, () => ({ attributes: { type: "Task" }, Subject: "x" })) });
      expect(((await tooMany.json()) as { errorCode: string }[])[0]!.errorCode).toBe("EXCEEDED_ID_LIMIT");
      const rolledBack = (await (await send("POST", "/composite/sobjects", { allOrNone: true, records: [{ attributes: { type: "Task" }, Subject: "kept?" }, { attributes: { type: "Task" }, Subject: "TBD" }] })).json()) as { success: boolean; errors: { statusCode: string }[] }[];
      expect(rolledBack[0]!.errors[0]!.statusCode).toBe("ALL_OR_NONE_OPERATION_ROLLED_BACK");
      expect(sf.find("Task", "kept?")).toBeUndefined();
      const updated = (await (await send("PATCH", "/composite/sobjects", { records: [{ attributes: { type: "Task" }, id: undefined, Id: results[0]!.id, Status: "Completed" }] })).json()) as { success: boolean }[];
      expect(updated[0]!.success).toBe(true);
      expect(sf.get("Task", results[0]!.id!).Status).toBe("Completed");
    });

    it("describes an object (fields, external id, picklists); a dropped field is gone from it and refused", async () => {
      const d = (await (await send("GET", "/sobjects/Opportunity/describe")).json()) as { createable: boolean; fields: { name: string; externalId: boolean; unique: boolean; picklistValues: { value: string }[] }[] };
      expect(d.createable).toBe(true);
      expect(d.fields.find((f) => f.name === "AE_Assistant_Id__c")).toMatchObject({ externalId: true, unique: true });
      expect(d.fields.find((f) => f.name === "StageName")!.picklistValues.map((p) => p.value)).toContain("Closed Won");
      sf.dropField("Event", "AE_Assistant_Id__c");
      const e = (await (await send("GET", "/sobjects/Event/describe")).json()) as { fields: { name: string }[] };
      expect(e.fields.map((f) => f.name)).not.toContain("AE_Assistant_Id__c");
      const refused = await send("POST", "/sobjects/Event", { Subject: "x", StartDateTime: "2026-11-02T10:00:00Z", DurationInMinutes: 30, AE_Assistant_Id__c: "k" });
      expect(((await refused.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_FIELD");
    });

    it("looks owners up by email in SOQL, active ones only when asked", async () => {
      sf.create("User", { Name: "Gone", Email: "gone@example.com", IsActive: false });
      const found = (await (await api(q("SELECT Id, Email FROM User WHERE IsActive = true AND Email IN ('ADA@example.com', 'gone@example.com')"))).json()) as { records: { Email: string }[] };
      expect(found.records.map((r) => r.Email)).toEqual(["ada@example.com"]);
    });

    it("makes a write and leaves it unanswered after hangAfterWrite (the record exists, the caller never hears)", async () => {
      sf.hangAfterWrite();
      const before = sf.count("Task");
      // Never answered: the request ends when the fake stops (afterAll).
      void send("POST", "/sobjects/Task", { Subject: "in limbo" }).catch(() => undefined);
      await vi.waitFor(() => expect(sf.requests.at(-1)).toMatchObject({ method: "POST", status: 0 }));
      expect(sf.count("Task")).toBe(before + 1);
      expect(sf.find("Task", "in limbo")).toBeDefined();
    });
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
      // What the bot pushed shows in the list, with its account.
      const acme = sf.find("Account", "Acme Rockets")!;
      sf.create("Task", { Subject: "Call: renewal agreed", Status: "Completed", ActivityDate: "2026-11-30", WhatId: String(acme.Id).slice(0, 15) });
      expect(runFakeCommand(sf, "list")).toMatch(/Task 00T\w+ {2}Call: renewal agreed {2}Completed {2}2026-11-30 {2}on Acme Rockets/);
    } finally {
      await sf.stop();
    }
  });
});
