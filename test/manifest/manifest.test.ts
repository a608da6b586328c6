import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { COMMAND, EVENTS, SHORTCUTS } from "../../src/slack/ids.js";
import { requiredBotScopes } from "../../src/cli/manifest-scopes.js";

interface Manifest {
  features: {
    slash_commands: { command: string; usage_hint?: string; should_escape?: boolean }[];
    shortcuts?: { callback_id: string; type: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean };
    event_subscriptions: { bot_events: string[] };
  };
}

const manifest = parse(readFileSync("manifest.yml", "utf8")) as Manifest;
const schema = JSON.parse(readFileSync("test/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json", "utf8")) as object;

/** All source files under src/, to find what the code registers. */
function sources(dir = "src"): string {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name !== "generated")
    .map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? readFileSync(join(dir, e.name), "utf8") : ""))
    .join("\n");
}

describe("manifest.yml", () => {
  it("is valid against Slack's published app-manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("the schema check can fail: Slack's own invalid sample is rejected", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const bad = { ...manifest, features: { ...manifest.features, slash_commands: [{ command: "ae" }] } };
    expect(ajv.validate(schema, bad)).toBe(false);
  });

  it("declares /ae with a usage hint and escaping, Socket Mode, interactivity and the Home tab", () => {
    const ae = manifest.features.slash_commands.find((c) => c.command === COMMAND);
    expect(ae?.usage_hint).toBeTruthy();
    expect(ae?.should_escape).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("declares every command, event and shortcut the code registers", () => {
    const src = sources();
    const commands = [...src.matchAll(/app\.command\(([^,]+),/g)].map((m) => m[1].trim());
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toBe("COMMAND");
    expect(manifest.features.slash_commands.map((c) => c.command)).toContain(COMMAND);
    const events = [...src.matchAll(/app\.event\(EVENTS\.(\w+)/g)].map((m) => EVENTS[m[1] as keyof typeof EVENTS]);
    for (const e of events) expect(manifest.settings.event_subscriptions.bot_events).toContain(e);
    const shortcuts = [...src.matchAll(/app\.shortcut\(SHORTCUTS\.(\w+)/g)].map((m) => SHORTCUTS[m[1] as keyof typeof SHORTCUTS]);
    for (const s of shortcuts) expect(manifest.features.shortcuts?.map((x) => x.callback_id)).toContain(s);
    // Nothing registered with an inline string id.
    expect(src).not.toMatch(/app\.(command|event|shortcut|action|view)\(\s*["'`]/);
  });

  it("asks only for scopes the code uses", () => {
    const scopes = manifest.oauth_config.scopes.bot;
    expect(requiredBotScopes()).toEqual(scopes);
    expect(scopes).toContain("commands");
    expect(scopes).toContain("chat:write");
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});
