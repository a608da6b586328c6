/**
 * Escapes user text for mrkdwn: Slack only needs &, < and > escaped, and escaping < and > is what
 * stops `<!channel>`, `<@U…>` and links from being injected through echoed text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts text to Slack's section limit (3000), marking the cut. */
export function clip(text: string, max = 3000): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}
