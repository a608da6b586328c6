import { describe, expect, it } from "vitest";
import { translator } from "../../src/i18n/translate.js";
import type { Actor } from "../../src/services/actor-service.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { FollowUpItem } from "../../src/services/followup-service.js";
import { teamFollowUpBlocks, TEAM_FOLLOWUPS_PAGE_SIZE, TEAM_FOLLOWUPS_PER_MEMBER } from "../../src/slack/blocks/followup-list-blocks.js";
import { handoverConfirmBlocks, handoverButtonSchema } from "../../src/slack/blocks/handover-blocks.js";

const NOW = new Date("2026-02-16T17:00:00Z");
const actor = { zone: "America/New_York", locale: "en-US", language: "en" } as unknown as Actor;
const user = (i: number) => ({ id: i, slackUserId: `U${i}` }) as User;
const item = (i: number): FollowUpItem => ({
  id: i, title: "t".repeat(500), dueAt: NOW, dueDate: "2026-02-16", overdue: false, dueToday: true, snoozedUntil: null, account: { id: 1, name: "a".repeat(200) },
});

describe("team follow-ups within Slack's limits", () => {
  it("a full page of people with long items stays under 50 blocks and 3000 characters per section, with More", () => {
    const members = Array.from({ length: TEAM_FOLLOWUPS_PAGE_SIZE }, (_, i) => ({
      user: user(i + 1), total: 40, overdue: 3, items: Array.from({ length: TEAM_FOLLOWUPS_PER_MEMBER }, (_, j) => item(j)),
    }));
    const reply = teamFollowUpBlocks(translator("en"), actor, { members, totalMembers: 45, offset: 0 }, NOW);
    const blocks = reply.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if (b.type === "section") expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    const more = blocks.at(-1) as { type: string; elements: { value: string }[] };
    expect(more.type).toBe("actions");
    expect(JSON.parse(more.elements[0]!.value)).toEqual({ text: "followups team page:2" });
    expect(reply.text.length).toBeLessThanOrEqual(3000);
  });

  it("the last page has no More", () => {
    const reply = teamFollowUpBlocks(translator("de"), actor, { members: [{ user: user(1), total: 0, overdue: 0, items: [] }], totalMembers: 21, offset: 20 }, NOW);
    expect(reply.text).toContain("Personen 21–21 von 21");
    expect(reply.text).toContain("keine offenen Wiedervorlagen");
    expect((reply.blocks ?? []).some((b) => b.type === "actions")).toBe(false);
  });
});

describe("the handover confirmation", () => {
  it("names what moves and carries a value its listener accepts", () => {
    const reply = handoverConfirmBlocks(translator("en"), {
      from: user(3), to: user(4), scope: "accounts", counts: { accounts: 1, followUps: 0, deals: 2 }, fingerprint: "0123456789abcdef",
    });
    expect(reply.text).toContain("This moves 1 account, 0 open follow-ups, 2 open deals.");
    const actions = (reply.blocks ?? []).find((b) => b.type === "actions") as { elements: { value: string }[] };
    expect(handoverButtonSchema.parse(JSON.parse(actions.elements[0]!.value))).toEqual({ from: 3, to: 4, scope: "accounts", fp: "0123456789abcdef" });
  });
});
