import { describe, expect, it } from "vitest";
import { renderBlocks } from "../../src/demo/render-blocks.js";
import { translator, type Language } from "../../src/i18n/translate.js";
import { helpBlocks } from "../../src/slack/blocks/help-blocks.js";
import { teamListBlocks } from "../../src/slack/blocks/team-blocks.js";

/** Slack reads `<a|b>` as a link (shows "b") and `<@x|y>` as a mention; literal syntax must be escaped. */
const unescapedAngle = /<(?!@U[A-Z0-9]+>|#C[A-Z0-9]+>|!(?:here|channel|everyone)>|https?:)/;

describe("/ae help", () => {
  it.each<Language>(["en", "de"])("shows the log kinds as typed, not as a Slack link [%s]", (language) => {
    const reply = helpBlocks(translator(language));
    const rendered = renderBlocks(reply.blocks);
    expect(rendered).toContain("<call|email|meeting|demo|meal|entertainment|note>");
    expect(rendered).not.toContain("note (call)");
    expect(rendered).toContain("/ae quota set <@");
    expect(rendered).toMatch(/<account>|<Account>/);
    for (const b of reply.blocks ?? []) expect(JSON.stringify(b)).not.toMatch(unescapedAngle);
    expect(reply.text).not.toMatch(unescapedAngle);
  });

  it("keeps the problem line (did you mean …) as given", () => {
    const reply = helpBlocks(translator("en"), "I don't know `x`.");
    expect(renderBlocks(reply.blocks).split("\n")[0]).toBe("I don't know `x`.");
  });
});

describe("/ae team usage", () => {
  it("shows <team> and <name> literally", () => {
    const reply = teamListBlocks(translator("en"), [], true);
    const rendered = renderBlocks(reply.blocks);
    expect(rendered).toContain("`/ae team create <name>`");
    expect(rendered).toContain("`/ae team add <team> @person …`");
    expect(reply.text).not.toMatch(unescapedAngle);
  });
});
