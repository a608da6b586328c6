import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { requiredBotScopes } from "../../src/cli/manifest-scopes.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/** `ae-assistant doctor` names the variable or scope that is wrong, against the fake Slack. */
describe("ae-assistant doctor", () => {
  let t: TestDatabase;
  const fakes: FakeSlack[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await t.drop();
  });

  async function doctor(fake: FakeSlack, env: Record<string, string>): Promise<{ code: number; text: string }> {
    const out: string[] = [];
    const code = await runCli(["doctor"], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { DATABASE_URL: t.url, SLACK_SIGNING_SECRET: "x", SLACK_API_URL: fake.apiUrl, ...env },
    });
    return { code, text: out.join("\n") };
  }

  async function fakeSlack(opts: Parameters<typeof startFakeSlack>[0]): Promise<FakeSlack> {
    const f = await startFakeSlack(opts);
    fakes.push(f);
    return f;
  }

  it("passes with a good token that has every scope of manifest.yml", async () => {
    const fake = await fakeSlack({ tokens: ["xoxb-good"], scopes: requiredBotScopes() });
    const r = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-good" });
    expect(r.text).toContain("✓ configuration (HTTP mode)");
    expect(r.text).toContain("✓ migrations: all");
    expect(r.text).toContain("✓ Slack bot token works: ae-assistant in Fake Workspace");
    expect(r.text).toContain("✓ the bot token has every scope in manifest.yml");
    expect(r.text).toContain("All checks passed.");
    expect(r.code).toBe(0);
  });

  it("names SLACK_BOT_TOKEN when Slack rejects it", async () => {
    const fake = await fakeSlack({ tokens: ["xoxb-good"] });
    const r = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-revoked-or-mistyped" });
    expect(r.code).toBe(1);
    expect(r.text).toContain("✗ Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions");
    expect(r.text).not.toContain("xoxb-revoked-or-mistyped");
    expect(r.text).toContain("1 check(s) failed.");
  });

  it("names each scope the token lacks and how to grant it", async () => {
    const fake = await fakeSlack({ tokens: ["xoxb-good"], scopes: requiredBotScopes().filter((s) => s !== "files:write" && s !== "users:read.email") });
    const r = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-good" });
    expect(r.code).toBe(1);
    expect(r.text).toContain("✗ SLACK_BOT_TOKEN lacks the scopes users:read.email, files:write that manifest.yml asks for");
    expect(r.text).toContain("OAuth & Permissions → Bot Token Scopes");
    expect(r.text).toContain("reinstall the app");
  });

  it("says so when Slack does not report the scopes instead of claiming they are fine", async () => {
    const fake = await fakeSlack({ scopes: [] }); // no x-oauth-scopes header
    const r = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-any" });
    expect(r.text).toContain("? Slack did not report the token's scopes");
    expect(r.text).not.toContain("has every scope");
    expect(r.code).toBe(0);
  });

  it("names a missing transport and checks the app token in Socket Mode", async () => {
    const fake = await fakeSlack({ tokens: ["xoxb-good"], scopes: requiredBotScopes() });
    const missing = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-good", SLACK_SIGNING_SECRET: "" });
    expect(missing.code).toBe(1);
    expect(missing.text).toContain("SLACK_APP_TOKEN is missing (set it for Socket Mode, or set SLACK_SIGNING_SECRET for HTTP mode)");
    const socket = await doctor(fake, { SLACK_BOT_TOKEN: "xoxb-good", SLACK_APP_TOKEN: "xapp-wrong", SLACK_SIGNING_SECRET: "" });
    expect(socket.text).toContain("✓ configuration (Socket Mode)");
    expect(socket.text).toContain("✗ SLACK_APP_TOKEN cannot open a Socket Mode connection: Slack rejected the token (invalid_auth)");
    expect(socket.text).not.toContain("connections:write scope (");
    expect(socket.code).toBe(1);
  });

  // Before: every failure of apps.connections.open was blamed on a missing connections:write scope.
  it("says what actually failed when the Socket Mode check fails, and names the scope only when Slack does", async () => {
    const socketEnv = { SLACK_BOT_TOKEN: "xoxb-good", SLACK_APP_TOKEN: "xapp-good", SLACK_SIGNING_SECRET: "" };
    const fake = await fakeSlack({ tokens: ["xoxb-good", "xapp-good"], scopes: requiredBotScopes() });

    // A wrong SLACK_API_URL: every call answers 404.
    const notFound = await doctor(fake, { ...socketEnv, SLACK_API_URL: fake.apiUrl.replace(/api\/$/, "nowhere/") });
    expect(notFound.code).toBe(1);
    expect(notFound.text).toContain("✗ SLACK_APP_TOKEN cannot open a Socket Mode connection: Slack answered HTTP 404 for apps.connections.open: check SLACK_API_URL");
    expect(notFound.text).not.toContain("connections:write");

    // A server error: the status, no scope.
    fake.failNext("apps.connections.open", { status: 500 }, 2);
    const serverError = await doctor(fake, socketEnv);
    expect(serverError.text).toContain("✗ SLACK_APP_TOKEN cannot open a Socket Mode connection: Slack answered HTTP 500");
    expect(serverError.text).not.toContain("connections:write");

    // Slack's own word for a missing scope: now the scope is named.
    fake.failNext("apps.connections.open", { error: "missing_scope", extra: { needed: "connections:write", provided: "authorizations:read" } });
    const missingScope = await doctor(fake, socketEnv);
    expect(missingScope.text).toContain("✗ SLACK_APP_TOKEN cannot open a Socket Mode connection: the token lacks the connections:write scope (Slack answered missing_scope)");

    fake.failNext("apps.connections.open", { error: "not_allowed_token_type" });
    const wrongType = await doctor(fake, socketEnv);
    expect(wrongType.text).toContain("Slack answered not_allowed_token_type: SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope");
    expect(wrongType.code).toBe(1);
  });
});
