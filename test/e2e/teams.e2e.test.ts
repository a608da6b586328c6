import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { interactionBody, slashCommandBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";
import { TEAM_MODAL, VIEWS } from "../../src/slack/ids.js";

describeEachProvider("/ae team and /ae leaderboard through Bolt [%s]", (provider) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      provider,
      users: [
        { id: "UOWNER", real_name: "Olga Owner", is_owner: true },
        { id: "UMIA", real_name: "Mia Manager", tz: "Europe/Berlin" },
        { id: "UZED", real_name: "Zed Other" },
        { id: "UANN", real_name: "Ann Adams" },
        { id: "UBOB", real_name: "Bob <b> Baker" },
      ],
      fake: {
        channels: [
          { id: "CSALES", name: "sales", is_member: true },
          { id: "COUT", name: "outside", is_member: false },
        ],
      },
    });
  });
  afterAll(async () => t?.close());

  const team = async () => {
    const ws = await t!.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    return t!.database.db.prisma.team.findUnique({ where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: "west coast" } }, include: { members: { include: { user: true } }, manager: true } });
  };

  it("refuses team commands to a rep, and nothing changes", async () => {
    const { reply } = await t.command('team create "West Coast"', "UANN");
    expect(reply.response_type).toBe("ephemeral");
    expect(textOf(reply)).toContain("Only managers and admins can do that.");
    expect(textOf(reply)).toContain("Nothing was changed.");
    expect(await team()).toBeNull();
  });

  it("lets an admin create a team and make someone its manager (a rep becomes a manager)", async () => {
    const created = await t.command('team create "West Coast"', "UOWNER");
    expect(textOf(created.reply)).toContain("Team *West Coast* created.");
    const manager = await t.command("team manager west coast <@UMIA|mia>", "UOWNER");
    expect(textOf(manager.reply)).toContain("<@UMIA> now manages *West Coast*.");
    expect(textOf(manager.reply)).toContain("<@UMIA> is now a manager.");
    const saved = await team();
    expect(saved?.manager).toMatchObject({ slackUserId: "UMIA", role: "manager", name: "Mia Manager", timezone: "Europe/Berlin" });
  });

  it("lets the manager add members (unknown users are created from users.info) and a rep still cannot", async () => {
    const { reply } = await t.command('team add "West Coast" <@UANN|ann> <@UBOB|bob> <@UNOBODY|ghost>', "UMIA");
    const text = textOf(reply);
    expect(text).toContain("Added to *West Coast*: <@UANN>, <@UBOB>.");
    expect(text).toContain("I couldn't find <@UNOBODY> in Slack.");
    expect((await team())?.members.map((m) => m.user.name).sort()).toEqual(["Ann Adams", "Bob <b> Baker"]);

    const refused = await t.command('team add "West Coast" <@UZED>', "UANN");
    expect(textOf(refused.reply)).toContain("Only managers and admins can do that.");
    expect((await team())?.members).toHaveLength(2);
  });

  it("refuses a manager who does not manage the team", async () => {
    await t.command("team create East", "UOWNER");
    await t.command("team manager East <@UZED>", "UOWNER");
    const { reply } = await t.command('team remove "West Coast" <@UANN>', "UZED");
    expect(textOf(reply)).toContain("You don't manage *West Coast*.");
    expect((await team())?.members).toHaveLength(2);
  });

  it("gives a clear error for a channel the bot is not in, with how to invite it, and changes nothing", async () => {
    const { reply } = await t.command('team channel "West Coast" <#COUT|outside>', "UMIA");
    const text = textOf(reply);
    expect(text).toContain("I'm not a member of <#COUT>");
    expect(text).toContain("`/invite @AE Assistant`");
    expect(text).toContain("Nothing was changed.");
    expect((await team())?.channelId).toBeNull();
    expect(t.fake.callsTo("conversations.info").some((c) => c.body.channel === "COUT")).toBe(true);

    const unknown = await t.command('team channel "West Coast" <#CGONE|gone>', "UMIA");
    expect(textOf(unknown.reply)).toContain("I can't see that channel.");
  });

  it("sets the channel when the bot is in it", async () => {
    const { reply } = await t.command('team channel "West Coast" <#CSALES|sales>', "UMIA");
    expect(textOf(reply)).toContain("Leaderboards of *West Coast* go to <#CSALES>");
    expect((await team())?.channelId).toBe("CSALES");
  });

  it("changes the team's settings and shows them", async () => {
    const bad = await t.command('team settings "West Coast" metrics:won,revenue', "UMIA");
    expect(textOf(bad.reply)).toContain("I don't understand `metrics:won,revenue`.");
    const { reply } = await t.command('team settings "West Coast" celebrate:off amount:hide metrics:won,touches', "UMIA");
    expect(textOf(reply)).toContain("Settings of *West Coast* saved.");
    expect(await team()).toMatchObject({ celebrateWins: false, celebrateShowAmount: false, leaderboardMetrics: "won,touches" });

    const shown = await t.command("team show west coast", "UANN");
    const text = textOf(shown.reply);
    expect(text).toContain("*West Coast*");
    expect(text).toContain("Manager: <@UMIA>");
    expect(text).toContain("Leaderboard channel: <#CSALES>");
    expect(text).toContain("Deal-won celebrations: off · amount: hidden · columns: won, touches");
  });

  it("removes members", async () => {
    const { reply } = await t.command('team remove "West Coast" <@UBOB>', "UMIA");
    expect(textOf(reply)).toContain("Removed from *West Coast*: <@UBOB>.");
    expect((await team())?.members.map((m) => m.user.slackUserId)).toEqual(["UANN"]);
  });

  it("/ae team without arguments lists the teams and how to use the command", async () => {
    const { reply } = await t.command("team", "UANN");
    const text = textOf(reply);
    expect(text).toContain("*East*");
    expect(text).toContain("*West Coast*");
    // Escaped: Slack shows "<team>" (raw, "<team>" would be read as a link and vanish).
    expect(text).toContain("/ae team channel &lt;team&gt; #channel");
  });

  it("/ae leaderboard answers ephemerally for the user's team; unknown teams get a did-you-mean", async () => {
    const { reply } = await t.command("leaderboard month", "UANN");
    expect(reply.response_type).toBe("ephemeral");
    const text = textOf(reply);
    expect(text).toContain(":trophy: West Coast —");
    expect(text).toContain("No quota for this period");
    expect(text).toContain("Ann Adams");

    const missing = await t.command("leaderboard quarter Wset Coast", "UANN");
    expect(textOf(missing.reply)).toContain("Did you mean *West Coast*?");

    const none = await t.command("leaderboard", "UZED");
    expect(textOf(none.reply)).toContain(":trophy: East —"); // Zed manages East
  });

  it("/ae team opens the team modal for a manager; a channel the bot is not in is refused on the field, then the team is saved", async () => {
    const opened = t.fake.callsTo("views.open").length;
    await t.post(slashCommandBody({ text: "team", userId: "UMIA", responseUrl: t.fake.responseUrl("modal-open"), channelId: "CSALES" }));
    const call = await t.fake.waitFor("views.open", (c) => (c.body.view as { callback_id?: string }).callback_id === VIEWS.team);
    expect(t.fake.callsTo("views.open")).toHaveLength(opened + 1);
    expect(call.response?.ok).toBe(true);
    const privateMetadata = String((call.body.view as { private_metadata?: string }).private_metadata);

    const values = (channel: string) => ({
      [TEAM_MODAL.name]: { [TEAM_MODAL.name]: stateValue.plainText("Enterprise") },
      [TEAM_MODAL.members]: { [TEAM_MODAL.members]: { type: "multi_users_select", selected_users: ["UANN", "UBOB"] } },
      [TEAM_MODAL.channel]: { [TEAM_MODAL.channel]: stateValue.conversationsSelect(channel) },
      [TEAM_MODAL.manager]: { [TEAM_MODAL.manager]: stateValue.usersSelect(null) },
      [TEAM_MODAL.options]: { [TEAM_MODAL.options]: stateValue.checkboxes(["celebrate"]) },
      [TEAM_MODAL.metrics]: { [TEAM_MODAL.metrics]: stateValue.checkboxes(["won", "deals"]) },
    });
    const refused = await t.post(interactionBody(viewSubmissionPayload({ userId: "UMIA", callbackId: VIEWS.team, privateMetadata, values: values("COUT") })));
    expect(refused.json).toMatchObject({ response_action: "errors", errors: { [TEAM_MODAL.channel]: expect.stringContaining("/invite @AE Assistant") as unknown } });
    const ws = await t.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    expect(await t.database.db.prisma.team.findUnique({ where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: "enterprise" } } })).toBeNull();

    const saved = await t.post(interactionBody(viewSubmissionPayload({ userId: "UMIA", callbackId: VIEWS.team, privateMetadata, values: values("CSALES") })));
    expect(saved.status).toBe(200);
    expect(saved.json).toBeUndefined();
    await t.fake.waitFor("chat.postEphemeral", (c) => String(c.body.text).includes("Team *Enterprise* saved."));
    const team = await t.database.db.prisma.team.findUnique({
      where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: "enterprise" } },
      include: { members: { include: { user: true } }, manager: true },
    });
    expect(team).toMatchObject({ channelId: "CSALES", celebrateWins: true, celebrateShowAmount: false, leaderboardMetrics: "won,deals", manager: { slackUserId: "UMIA" } });
    expect(team?.members.map((m) => m.user.slackUserId).sort()).toEqual(["UANN", "UBOB"]);

    const rep = await t.post(interactionBody(viewSubmissionPayload({ userId: "UANN", callbackId: VIEWS.team, privateMetadata, values: values("CSALES") })));
    expect(rep.json).toMatchObject({ response_action: "errors", errors: { [TEAM_MODAL.name]: "Only managers and admins can do that." } });
  });

  it("/ae team edit opens the modal filled in with the team", async () => {
    await t.post(slashCommandBody({ text: "team edit Enterprise", userId: "UMIA", responseUrl: t.fake.responseUrl("modal-edit") }));
    const call = await t.fake.waitFor("views.open", (c) => /"teamId":\d/.test(String((c.body.view as { private_metadata?: string }).private_metadata)));
    const view = call.body.view as { blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    const element = (id: string) => view.blocks.find((b) => b.block_id === id)?.element ?? {};
    expect((element(TEAM_MODAL.members).initial_users as string[]).sort()).toEqual(["UANN", "UBOB"]);
    expect(element(TEAM_MODAL.channel).initial_conversation).toBe("CSALES");
    expect(element(TEAM_MODAL.manager).initial_user).toBe("UMIA");
  });
});
