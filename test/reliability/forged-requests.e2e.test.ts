/**
 * Forged and replayed requests never reach our code: for each kind of request Slack sends (slash
 * command, block action, view submission, event), a bad signature, a timestamp over 5 minutes old,
 * a missing signature or timestamp header, and a body altered after signing all get 401, change no
 * row in any table and make no Slack call. The same bodies, signed properly, do change the
 * database (so "nothing changed" is meaningful). test/e2e/foundation.e2e.test.ts has the slash
 * command cases with the user count; here every table is counted, for every request kind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_MODAL, ACTIONS, VIEWS } from "../../src/slack/ids.js";
import { tableCounts } from "../support/db-snapshot.js";
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from "../support/e2e-harness.js";
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventCallback,
  interactionBody,
  jsonBody,
  nowSeconds,
  slashCommandBody,
  stateValue,
  viewSubmissionPayload,
  type PostSignedOptions,
} from "../support/slack-requests.js";

const KINDS = ["slash command", "block action", "view submission", "event"] as const;
type Kind = (typeof KINDS)[number];

/** A body of each request kind that would write to the database if accepted, and the table it would grow. */
function request(t: TestApp, kind: Kind, tag: string): { body: string; grows: string } {
  const name = `Forged ${tag} ${kind}`;
  switch (kind) {
    case "slash command":
      return { body: slashCommandBody({ text: `account add "${name}"`, userId: "UFORGE", responseUrl: t.fake.responseUrl(`forged-${tag}`) }), grows: "Account" };
    case "block action":
      return {
        body: interactionBody(
          blockActionsPayload({ actionId: `${ACTIONS.pickAccount}:1`, value: JSON.stringify({ text: `account add "${name}"` }), userId: "UFORGE", responseUrl: t.fake.responseUrl(`forged-${tag}`) }),
        ),
        grows: "Account",
      };
    case "view submission":
      return {
        body: interactionBody(viewSubmissionPayload({ callbackId: VIEWS.addAccount, userId: "UFORGE", values: { [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText(name) } } })),
        grows: "Account",
      };
    case "event":
      return { body: jsonBody(eventCallback(appHomeOpenedEvent({ userId: `UFORGE${tag.toUpperCase()}` }))), grows: "User" };
  }
}

const FORGERIES: [string, (body: string) => PostSignedOptions][] = [
  ["a wrong signing secret", () => ({ secret: "not-the-signing-secret" })],
  ["a timestamp 6 minutes old (a replay)", () => ({ secret: TEST_SIGNING_SECRET, timestamp: nowSeconds() - 360 })],
  ["no signature header", () => ({ secret: TEST_SIGNING_SECRET, omitHeaders: ["x-slack-signature"] })],
  ["no timestamp header", () => ({ secret: TEST_SIGNING_SECRET, omitHeaders: ["x-slack-request-timestamp"] })],
  ["a body altered after signing", (body) => ({ secret: TEST_SIGNING_SECRET, tamper: body.replace(/UFORGE/g, "UALTER") })],
];

describe("forged and replayed requests are refused and change nothing [sqlite]", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ users: [{ id: "UFORGE", real_name: "Fiona Forger" }] });
  });
  afterAll(async () => t?.close());

  const cases = FORGERIES.flatMap(([forgery, options]) => KINDS.map((kind) => [kind, forgery, options] as const));

  it.each(cases)("%s with %s: 401, no row changed, no Slack call", async (kind, _forgery, options) => {
    const { body } = request(t, kind, "x");
    const before = await tableCounts(t.database.db);
    const calls = t.fake.calls.length;
    const responses = t.fake.responses.length;
    const delivered = t.deliveries.count;
    const http = await t.post(body, options(body));
    expect(http.status).toBe(401);
    // The receiver refused it before handing it to the app (no delivery reached Bolt), and the app has
    // finished with everything it did receive: nothing can still write or call Slack.
    expect(t.deliveries.count).toBe(delivered);
    await t.deliveries.settled();
    expect(await tableCounts(t.database.db)).toEqual(before);
    expect(t.fake.calls.length).toBe(calls);
    expect(t.fake.responses.length).toBe(responses);
  });

  it.each(KINDS)("the same %s, signed properly, is accepted and writes (the control)", async (kind) => {
    const { body, grows } = request(t, kind, "ok");
    const before = await tableCounts(t.database.db);
    const http = await t.post(body);
    expect(http.status).toBe(200);
    await expect.poll(async () => (await tableCounts(t.database.db))[grows], { timeout: 5000 }).toBe((before[grows] ?? 0) + 1);
  });
});
