import { describe, expect, it } from "vitest";
import { mrkdwnToText, renderBlocks, renderView } from "../../src/demo/render-blocks.js";

describe("mrkdwnToText", () => {
  it.each([
    ["<@U1|ann> met <@U2>", "@ann met @Bob"],
    ["see <https://x.test|the deal>", "see the deal (https://x.test)"],
    ["&lt;!channel&gt; &amp; co", "<!channel> & co"],
    ["<#C1|sales> <!here>", "#sales @here"],
  ])("%s → %s", (input, expected) => {
    expect(mrkdwnToText(input, new Map([["U2", "Bob"]]))).toBe(expected);
  });
});

describe("renderBlocks", () => {
  it("renders headers, sections with fields and buttons, context, dividers and actions", () => {
    const text = renderBlocks([
      { type: "header", text: { type: "plain_text", text: "Today" } },
      { type: "section", text: { type: "mrkdwn", text: "*Acme*" }, accessory: { type: "button", text: { type: "plain_text", text: "Open" } } },
      { type: "section", fields: [{ type: "mrkdwn", text: "a" }, { type: "mrkdwn", text: "b" }] },
      { type: "divider" },
      { type: "context", elements: [{ type: "mrkdwn", text: "note" }] },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Done" } }, { type: "button", text: { type: "plain_text", text: "Snooze" } }] },
    ]);
    expect(text.split("\n")).toEqual(["== Today ==", "*Acme*", "→ [ Open ]", "a   |   b", "────────────────────────────────────────", "  › note", "[ Done ] [ Snooze ]"]);
  });

  it("renders a modal with inputs and the submit label", () => {
    const text = renderView({
      title: { type: "plain_text", text: "Log a touch" },
      submit: { type: "plain_text", text: "Save" },
      blocks: [{ type: "input", label: { type: "plain_text", text: "Note" }, optional: true, element: { type: "plain_text_input", initial_value: "hi" } }],
    });
    expect(text).toBe("┌ Log a touch ┐\nNote (optional): “hi”\n[ Save ]");
  });
});

describe("emoji shortcodes", () => {
  it("shows the app's shortcodes as emoji and leaves unknown ones and clock times alone", () => {
    expect(mrkdwnToText(":white_check_mark: Done at 09:05:30 :not_an_emoji:")).toBe("✅ Done at 09:05:30 :not_an_emoji:");
  });
});
