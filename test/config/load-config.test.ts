import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, secretsOf } from "../../src/config/load-config.js";

const BASE = { SLACK_BOT_TOKEN: "xoxb-1234-abcdef", SLACK_APP_TOKEN: "xapp-1-A1-123-abc" };

describe("loadConfig", () => {
  it("selects Socket Mode when an app token is set, with defaults for the rest", () => {
    const c = loadConfig(BASE);
    expect(c.transport).toEqual({ mode: "socket", appToken: BASE.SLACK_APP_TOKEN, signingSecret: undefined });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe("file:./data/ae-assistant.db");
    expect(c.logLevel).toBe("info");
    expect(c.defaultTimezone).toBe("America/New_York");
    expect(c.ackBudgetMs).toBe(2000);
  });

  it.each([
    ["1500", 1500],
    ["", 2000],
  ])("COMMAND_ACK_BUDGET_MS %j → %d", (input, expected) => {
    expect(loadConfig({ ...BASE, COMMAND_ACK_BUDGET_MS: input }).ackBudgetMs).toBe(expected);
  });

  it.each(["50", "3000", "2s", "1.5"])("refuses COMMAND_ACK_BUDGET_MS=%j and names the variable", (input) => {
    expect(() => loadConfig({ ...BASE, COMMAND_ACK_BUDGET_MS: input })).toThrow(/COMMAND_ACK_BUDGET_MS/);
  });

  it("selects HTTP mode with only a signing secret", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s3cret", PORT: "8080" });
    expect(c.transport).toEqual({ mode: "http", signingSecret: "s3cret" });
    expect(c.port).toBe(8080);
  });

  it.each([
    ["postgres://u:p@h:5432/d", "postgres://u:p@h:5432/d"],
    ["postgresql://h/d", "postgresql://h/d"],
    ["file:/tmp/x.db", "file:/tmp/x.db"],
    ["", "file:./data/ae-assistant.db"],
  ])("DATABASE_URL %j → %j", (input, expected) => {
    expect(loadConfig({ ...BASE, DATABASE_URL: input }).databaseUrl).toBe(expected);
  });

  it("names every problem at once, each with a hint, in one error", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "99999", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", DEFAULT_TIMEZONE: "Mars/Base", SLACK_API_URL: "not a url" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const ce = error as ConfigError;
    expect(ce.problems.map((p) => p.variable).sort()).toEqual(
      ["DATABASE_URL", "DEFAULT_TIMEZONE", "LOG_LEVEL", "PORT", "SLACK_API_URL", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"].sort(),
    );
    for (const p of ce.problems) expect(p.hint.length).toBeGreaterThan(10);
    expect(ce.message).toContain("api.slack.com/apps");
    expect(ce.message).not.toMatch(/at .*\.ts:\d+/); // no stack frames
  });

  it("never echoes a secret in its error", () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: "not-a-token-SECRETVALUE", SLACK_SIGNING_SECRET: "SIGNINGSECRET" , PORT: "x"});
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain("SECRETVALUE");
      expect(String((e as Error).message)).not.toContain("SIGNINGSECRET");
    }
  });

  it("lists the secrets to redact", () => {
    expect(secretsOf(loadConfig({ ...BASE, SLACK_SIGNING_SECRET: "abcdefgh" })).sort()).toEqual(
      [BASE.SLACK_APP_TOKEN, BASE.SLACK_BOT_TOKEN, "abcdefgh"].sort(),
    );
  });
});
