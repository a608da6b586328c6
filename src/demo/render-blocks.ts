/**
 * Renders Slack messages and views as readable plain text for the terminal demo: what a person
 * would see in Slack, minus the styling. Pure; unknown block types are shown by their type.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The emoji shortcodes the app's messages use, as the characters Slack shows for them. */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: "✅",
  zzz: "💤",
  warning: "⚠️",
  tada: "🎉",
  hourglass_flowing_sand: "⏳",
  red_circle: "🔴",
  large_orange_circle: "🟠",
  large_yellow_circle: "🟡",
  large_green_circle: "🟢",
  white_circle: "⚪",
  chart_with_downwards_trend: "📉",
  chart_with_upwards_trend: "📈",
  bar_chart: "📊",
  alarm_clock: "⏰",
  trophy: "🏆",
  sunny: "☀️",
  rocket: "🚀",
  gift: "🎁",
  memo: "📝",
  calendar: "📅",
  rotating_light: "🚨",
  x: "❌",
  arrows_clockwise: "🔄",
};

/** mrkdwn → plain: links and mentions to their labels, known emoji shortcodes to emoji, entities decoded. */
export function mrkdwnToText(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return text
    .replace(/:([a-z0-9_+-]+):/g, (m, code: string) => EMOJI[code] ?? m)
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `@${label || names.get(id) || id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || names.get(id) || id}`)
    .replace(/<!(here|channel|everyone)>/g, "@$1")
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<([^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(v: unknown, names: ReadonlyMap<string, string>): string {
  if (!isObj(v)) return "";
  return mrkdwnToText(str(v.text), names);
}

function elementLabel(e: unknown, names: ReadonlyMap<string, string>): string {
  if (!isObj(e)) return "";
  switch (e.type) {
    case "button":
      return `[ ${textOf(e.text, names)} ]`;
    case "overflow":
      return "[ … ]";
    case "image":
      return `(image: ${str(e.alt_text)})`;
    case "mrkdwn":
    case "plain_text":
      return mrkdwnToText(str(e.text), names);
    default:
      return isObj(e.placeholder) ? `[ ${textOf(e.placeholder, names)} ▾ ]` : `[${String(e.type)}]`;
  }
}

function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}

export function renderBlocks(blocks: unknown, names: ReadonlyMap<string, string> = new Map()): string {
  if (!Array.isArray(blocks)) return "";
  const out: string[] = [];
  for (const b of blocks) {
    if (!isObj(b)) continue;
    switch (b.type) {
      case "header":
        out.push(`== ${textOf(b.text, names)} ==`);
        break;
      case "section": {
        const parts: string[] = [];
        if (b.text) parts.push(textOf(b.text, names));
        if (Array.isArray(b.fields)) parts.push(b.fields.map((f) => textOf(f, names)).join("   |   "));
        if (b.accessory) parts.push(`→ ${elementLabel(b.accessory, names)}`);
        out.push(parts.join("\n"));
        break;
      }
      case "context":
        out.push(indent((Array.isArray(b.elements) ? b.elements : []).map((e) => elementLabel(e, names)).join("  "), "  › "));
        break;
      case "divider":
        out.push("────────────────────────────────────────");
        break;
      case "actions":
        out.push((Array.isArray(b.elements) ? b.elements : []).map((e) => elementLabel(e, names)).join(" "));
        break;
      case "image":
        out.push(`(image: ${str(b.alt_text)})`);
        break;
      case "input": {
        const label = textOf(b.label, names);
        const el = isObj(b.element) ? b.element : {};
        const initial = str(el.initial_value) || str(el.initial_date) || str(el.initial_time);
        out.push(`${label}${b.optional ? " (optional)" : ""}: ${initial ? `“${initial}”` : elementLabel(el, names)}`);
        break;
      }
      case "rich_text":
        out.push(JSON.stringify(b.elements).replace(/"text":"([^"]*)"/g, "$1").replace(/[{}[\]"]/g, "").slice(0, 500));
        break;
      default:
        out.push(`[${String(b.type)} block]`);
    }
  }
  return out.join("\n");
}

/** A chat message (text + blocks) as the person would read it. */
export function renderMessage(message: Json, names: ReadonlyMap<string, string> = new Map()): string {
  const blocks = renderBlocks(message.blocks, names);
  return blocks || mrkdwnToText(str(message.text), names);
}

/** A modal or Home view: title, then its blocks, then its submit button. */
export function renderView(view: Json, names: ReadonlyMap<string, string> = new Map()): string {
  const title = textOf(view.title, names);
  const submit = textOf(view.submit, names);
  return [title ? `┌ ${title} ┐` : "", renderBlocks(view.blocks, names), submit ? `[ ${submit} ]` : ""].filter(Boolean).join("\n");
}
