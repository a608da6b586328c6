import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AssociationTypes } from "@hubspot/api-client";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";

/** The fake answers as HubSpot's CRM v3/v4 docs describe (search, lists, associations, owners, writes, errors). */
describe("fake HubSpot", () => {
  let hs: FakeHubSpot;
  let clock = new Date("2026-11-01T10:00:00Z");
  const tick = () => (clock = new Date(clock.getTime() + 1000));
  const api = async (method: string, path: string, body?: unknown, token = hs.accessToken) => {
    const res = await fetch(`${hs.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === "" ? null : JSON.parse(text)) as Record<string, unknown> & { results?: Record<string, unknown>[] } };
  };
  let acme = "";
  let ada = "";

  beforeAll(async () => {
    hs = await FakeHubSpot.start({ now: () => clock });
    ada = hs.addOwner({ email: "ada@example.com", firstName: "Ada" });
    acme = hs.create("companies", { name: "Acme", industry: "COMPUTER_SOFTWARE", annualrevenue: "1250000.5", hubspot_owner_id: ada });
    tick();
    hs.create("companies", { name: "Globex", hubspot_owner_id: ada });
    tick();
    hs.create("companies", { name: "Initech" });
  });
  afterAll(async () => hs?.stop());

  it("refuses a missing or wrong token with 401 INVALID_AUTHENTICATION, in HubSpot's error shape", async () => {
    const r = await api("GET", "/crm/v3/owners", undefined, "pat-na1-wrong");
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION", correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("searches with a filter, one sort, string properties, a total and after; never past 10,000 results", async () => {
    const body = { filterGroups: [{ filters: [{ propertyName: "hs_lastmodifieddate", operator: "GTE", value: String(Date.parse("2026-11-01T10:00:01Z")) }] }], sorts: [{ propertyName: "hs_lastmodifieddate", direction: "ASCENDING" }], properties: ["name", "annualrevenue"], limit: 1 };
    const first = await api("POST", "/crm/v3/objects/companies/search", body);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
    expect(first.body).toMatchObject({ total: 2, paging: { next: { after: "1" } } });
    expect(first.body.results![0]).toMatchObject({ properties: { name: "Globex", annualrevenue: null, hs_lastmodifieddate: "2026-11-01T10:00:01.000Z" } });
    const second = await api("POST", "/crm/v3/objects/companies/search", { ...body, after: "1" });
    expect(second.body.results!.map((r) => (r.properties as { name: string }).name)).toEqual(["Initech"]);
    expect(second.body.paging).toBeUndefined();
    const iso = await api("POST", "/crm/v3/objects/companies/search", { ...body, filterGroups: [{ filters: [{ propertyName: "annualrevenue", operator: "GT", value: "1000" }] }] });
    expect(iso.body.total).toBe(1);
    expect((await api("POST", "/crm/v3/objects/companies/search", { ...body, limit: 201 })).body).toMatchObject({ category: "VALIDATION_ERROR" });
    expect((await api("POST", "/crm/v3/objects/companies/search", { ...body, after: "10000" })).status).toBe(400);
    expect((await api("POST", "/crm/v3/objects/companies/search", { ...body, sorts: [{ propertyName: "name" }, { propertyName: "createdate" }] })).status).toBe(400);
    expect((await api("POST", "/crm/v3/objects/contacts/search", { ...body })).body.message).toContain('property "hs_lastmodifieddate" does not exist on contacts');
  });

  it("lists archived records only with archived=true, and the search never returns them", async () => {
    const doomed = hs.create("companies", { name: "Doomed" });
    tick();
    hs.archive("companies", doomed);
    const live = await api("POST", "/crm/v3/objects/companies/search", { limit: 200 });
    expect(live.body.results!.map((r) => r.id)).not.toContain(doomed);
    const archived = await api("GET", "/crm/v3/objects/companies?archived=true&limit=100");
    expect(archived.body.results).toEqual([expect.objectContaining({ id: doomed, archived: true, archivedAt: clock.toISOString() })]);
    expect(archived.headers.get("x-hubspot-ratelimit-max")).toBe("190");
    expect((await api("GET", "/crm/v3/objects/companies?limit=101")).status).toBe(400);
    const paged = await api("GET", "/crm/v3/objects/companies?limit=2");
    expect(paged.body.results).toHaveLength(2);
    const next = (paged.body.paging as { next: { after: string } }).next.after;
    expect((await api("GET", `/crm/v3/objects/companies?limit=2&after=${next}`)).body.results!.map((r) => (r.properties as { name?: string }).name)).toEqual(["Initech"]);
  });

  it("creates engagements with hs_timestamp and inline associations by HubSpot's type ids, and refuses bad input like HubSpot", async () => {
    const made = await api("POST", "/crm/v3/objects/calls", {
      properties: { hs_timestamp: "2026-11-01T09:00:00Z", hs_call_title: "Intro", hs_call_status: "COMPLETED" },
      associations: [{ to: { id: acme }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: AssociationTypes.callToCompany }] }],
    });
    expect(made.status).toBe(201);
    expect(hs.associations("calls", String(made.body.id), "companies")).toEqual([{ id: acme, typeIds: [AssociationTypes.callToCompany] }]);
    // Associations are both ways.
    expect(hs.associations("companies", acme, "calls")).toEqual([{ id: String(made.body.id), typeIds: [AssociationTypes.companyToCall] }]);

    const noTimestamp = await api("POST", "/crm/v3/objects/notes", { properties: { hs_note_body: "hi" } });
    expect(noTimestamp).toMatchObject({ status: 400, body: { category: "VALIDATION_ERROR", errors: [{ code: "REQUIRED_PROPERTY", context: { propertyName: ["hs_timestamp"] } }] } });
    const unknown = await api("POST", "/crm/v3/objects/notes", { properties: { hs_timestamp: "1700000000000", colour: "red" } });
    expect(unknown.body.message).toMatch(/^Property values were not valid: \[.*PROPERTY_DOESNT_EXIST/);
    const option = await api("POST", "/crm/v3/objects/tasks", { properties: { hs_timestamp: "1700000000000", hs_task_status: "DONE" } });
    expect(option.body).toMatchObject({ errors: [{ code: "INVALID_OPTION" }] });
    const wrongType = await api("POST", "/crm/v3/objects/notes", { properties: { hs_timestamp: "1700000000000" }, associations: [{ to: { id: acme }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: AssociationTypes.callToCompany }] }] });
    expect(wrongType.status).toBe(400);
    const missingTarget = await api("POST", "/crm/v3/objects/notes", { properties: { hs_timestamp: "1700000000000" }, associations: [{ to: { id: "999999" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: AssociationTypes.noteToCompany }] }] });
    expect(missingTarget.body.message).toContain("associations are invalid");
  });

  it("creates and updates deals with validated stages, batch-creates all or nothing, and reads deal→company associations (v4)", async () => {
    const deal = await api("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "Acme renewal", amount: "5000", dealstage: "appointmentscheduled", hubspot_owner_id: ada },
      associations: [{ to: { id: acme }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: AssociationTypes.primaryDealToCompany }] }],
    });
    expect(deal.body).toMatchObject({ properties: { pipeline: "default", amount: "5000" } });
    const id = String(deal.body.id);
    tick();
    const patched = await api("PATCH", `/crm/v3/objects/deals/${id}`, { properties: { dealstage: "closedwon", amount: "5500" } });
    expect(patched.body).toMatchObject({ properties: { dealstage: "closedwon", hs_lastmodifieddate: clock.toISOString() } });
    expect((await api("PATCH", `/crm/v3/objects/deals/${id}`, { properties: { dealstage: "won" } })).body).toMatchObject({ errors: [{ code: "INVALID_OPTION" }] });
    expect((await api("PATCH", "/crm/v3/objects/deals/424242", { properties: { amount: "1" } })).status).toBe(404);

    const before = hs.count("calls");
    const batch = await api("POST", "/crm/v3/objects/calls/batch/create", { inputs: [{ properties: { hs_timestamp: "1700000000000" } }, { properties: { hs_call_title: "no timestamp" } }] });
    expect(batch.status).toBe(400);
    expect(hs.count("calls")).toBe(before);
    const ok = await api("POST", "/crm/v3/objects/calls/batch/create", { inputs: [{ properties: { hs_timestamp: "1700000000000" } }, { properties: { hs_timestamp: "2026-11-01T09:00:00Z" } }] });
    expect(ok).toMatchObject({ status: 201, body: { status: "COMPLETE", results: [expect.anything(), expect.anything()] } });

    const orphan = hs.create("deals", { dealname: "Orphan", dealstage: "qualifiedtobuy" });
    const assoc = await api("POST", "/crm/v4/associations/deals/companies/batch/read", { inputs: [{ id }, { id: orphan }] });
    expect(assoc.status).toBe(207);
    expect(assoc.body.results).toEqual([{ from: { id }, to: [{ toObjectId: Number(acme), associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 5, label: "Primary" }, { category: "HUBSPOT_DEFINED", typeId: 341, label: null }] }] }]);
    expect(assoc.body).toMatchObject({ numErrors: 1 });
  });

  it("pages owners, lists pipelines, names missing scopes, and injects 429 with policyName and Retry-After", async () => {
    expect((await api("GET", "/crm/v3/owners?limit=1")).body.results).toEqual([expect.objectContaining({ id: ada, email: "ada@example.com" })]);
    const pipelines = await api("GET", "/crm/v3/pipelines/deals");
    expect((pipelines.body.results![0]!.stages as { id: string }[]).map((s) => s.id)).toContain("closedwon");

    hs.revokeScope("crm.objects.contacts.read");
    const denied = await api("POST", "/crm/v3/objects/contacts/search", {});
    expect(denied).toMatchObject({ status: 403, body: { category: "MISSING_SCOPES", errors: [{ context: { requiredGranularScopes: ["crm.objects.contacts.read"] } }] } });
    hs.grantScope("crm.objects.contacts.read");

    hs.rateLimit({ on: "search", policy: "SECONDLY", retryAfterSeconds: 1 });
    const limited = await api("POST", "/crm/v3/objects/contacts/search", {});
    expect(limited).toMatchObject({ status: 429, body: { policyName: "SECONDLY", message: "You have reached your secondly limit." } });
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await api("POST", "/crm/v3/objects/contacts/search", {})).status).toBe(200);

    const old = hs.accessToken;
    hs.rotateToken();
    expect((await api("GET", "/crm/v3/owners", undefined, old)).status).toBe(401);
  });
});

describe("npm run fake-hubspot prompt", () => {
  it("seeds a book of business for the given email and changes records by name, stamping the last-modified date", async () => {
    const { runFakeHubSpotCommand, seedFakeHubSpot, FAKE_HUBSPOT_TOKEN } = await import("../../src/demo/fake-hubspot-main.js");
    let clock = new Date("2026-11-30T09:00:00Z");
    const hs = await FakeHubSpot.start({ now: () => clock, accessToken: FAKE_HUBSPOT_TOKEN });
    try {
      seedFakeHubSpot(hs, "me@example.com");
      expect(runFakeHubSpotCommand(hs, "list")).toMatch(/deals \d+ {2}Rocket skates {2}12000 {2}qualifiedtobuy {2}closes 2026-12-18/);
      clock = new Date("2026-11-30T09:10:00Z");
      expect(runFakeHubSpotCommand(hs, 'update deal "Rocket skates" amount=30500 dealstage=contractsent')).toContain("last modified 2026-11-30T09:10:00.000Z");
      expect(hs.find("deals", "rocket skates")?.properties).toMatchObject({ amount: "30500", dealstage: "contractsent" });
      expect(runFakeHubSpotCommand(hs, "update deal \"Rocket skates\" dealstage=won")).toContain("INVALID_OPTION");
      expect(runFakeHubSpotCommand(hs, 'create company name="Wayne Enterprises"')).toMatch(/^created companies \d+/);
      expect(hs.find("companies", "Wayne Enterprises")?.properties.hubspot_owner_id).toBe(hs.ownerList()[0]!.id);
      expect(runFakeHubSpotCommand(hs, "delete company Globex")).toMatch(/^deleted companies/);
      expect(runFakeHubSpotCommand(hs, "list")).not.toMatch(/companies \d+ {2}Globex/);
      expect(runFakeHubSpotCommand(hs, "update company Nobody name=x")).toBe('No companies "Nobody". Try: list');
    } finally {
      await hs.stop();
    }
  });
});

/** What the push relies on: custom (and unique) properties, a search index that lags, writes never answered. */
describe("fake HubSpot for the push", () => {
  it("custom properties: the properties endpoint says whether one is unique; a unique value twice is 409 CONFLICT and a batch with one writes nothing", async () => {
    const hs = await FakeHubSpot.start();
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${hs.url}${path}`, { method, headers: { authorization: `Bearer ${hs.accessToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const acme = hs.create("companies", { name: "Acme" });
    expect((await api("GET", "/crm/v3/properties/calls/ae_assistant_id")).body).toMatchObject({ status: "error", category: "OBJECT_NOT_FOUND" });
    hs.definePushProperty("ae_assistant_id");
    expect((await api("GET", "/crm/v3/properties/calls/ae_assistant_id")).body).toMatchObject({ name: "ae_assistant_id", type: "string", fieldType: "text", hasUniqueValue: false });
    expect((await api("GET", "/crm/v3/properties/deals/ae_assistant_id")).body).toMatchObject({ hasUniqueValue: true });
    const deal = (key: string) => ({ properties: { dealname: key, ae_assistant_id: key }, associations: [{ to: { id: acme }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: AssociationTypes.primaryDealToCompany }] }] });
    const first = await api("POST", "/crm/v3/objects/deals", deal("T1-deal-1"));
    expect(first.status).toBe(201);
    const again = await api("POST", "/crm/v3/objects/deals/batch/create", { inputs: [deal("T1-deal-2"), deal("T1-deal-1")] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ category: "CONFLICT", message: expect.stringContaining(`Existing ID: ${String(first.body.id)}`) });
    expect(hs.list("deals").map((d) => d.properties.ae_assistant_id)).toEqual(["T1-deal-1"]);
    // Engagements have no unique values: the same key twice is two calls.
    const call = { properties: { hs_timestamp: "2026-11-01T10:00:00Z", ae_assistant_id: "T1-touch-1" } };
    expect((await api("POST", "/crm/v3/objects/calls/batch/create", { inputs: [call, call] })).status).toBe(201);
    expect(hs.list("calls")).toHaveLength(2);
    await hs.stop();
  });


  it("search lags behind writes by searchLagMs (reads by id do not); a write can be made and never answered", async () => {
    let now = new Date("2026-11-02T10:00:00Z");
    const lagging = await FakeHubSpot.start({ now: () => now, searchLagMs: 30_000 });
    try {
      const id = lagging.create("notes", { hs_timestamp: now.toISOString(), hs_note_body: "fresh" });
      const search = () =>
        fetch(`${lagging.url}/crm/v3/objects/notes/search`, { method: "POST", headers: { authorization: `Bearer ${lagging.accessToken}`, "content-type": "application/json" }, body: JSON.stringify({ filterGroups: [], limit: 10 }) }).then(
          async (r) => ((await r.json()) as { total: number }).total,
        );
      expect(await search()).toBe(0);
      expect((await fetch(`${lagging.url}/crm/v3/objects/notes/${id}`, { headers: { authorization: `Bearer ${lagging.accessToken}` } })).status).toBe(200);
      now = new Date(now.getTime() + 30_000);
      expect(await search()).toBe(1);

      lagging.hangAfterWrite();
      const unanswered = fetch(`${lagging.url}/crm/v3/objects/notes`, { method: "POST", headers: { authorization: `Bearer ${lagging.accessToken}`, "content-type": "application/json" }, body: JSON.stringify({ properties: { hs_timestamp: now.toISOString() } }) }).catch(() => "no answer");
      await vi.waitFor(() => expect(lagging.list("notes")).toHaveLength(2));
      expect(lagging.requests.at(-1)).toMatchObject({ method: "POST", status: 0 });
      await lagging.stop();
      expect(await unanswered).toBe("no answer");
    } finally {
      await lagging.stop().catch(() => undefined);
    }
  });
});
