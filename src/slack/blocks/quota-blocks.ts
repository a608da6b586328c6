import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { CommissionView, QuotaView } from "../../services/quota-service.js";
import type { Actor } from "../../services/actor-service.js";
import type { Reply } from "../subcommands/subcommand.js";
import { formatPercent, formatRate, money, periodRange } from "./deal-format.js";
import { periodName } from "../../i18n/period-name.js";
import { clip } from "./mrkdwn.js";

type Fmt = Pick<Actor, "workspace" | "locale">;

/** The quota lines of a view, without the commission (also used by the Home tab). */
export function quotaLines(t: Translator, fmt: Fmt, view: QuotaView): string[] {
  const p = view.progress;
  const m = (c: number) => money(fmt, c);
  const pct = (r: number) => formatPercent(r, fmt.locale);
  const period = periodName(view.period, fmt.locale);
  const business = view.paceMode === "business";
  const lines: string[] = [];

  if (p.status === "no_quota") {
    lines.push(t("quota.noQuota", { period, won: m(view.wonCents) }));
    if (p.projectedFinishCents !== null) lines.push(t("quota.projectedNoQuota", { amount: m(p.projectedFinishCents) }));
    return lines;
  }
  if (p.status === "zero_quota") {
    lines.push(t("quota.zeroQuota", { period, zero: m(0), won: m(view.wonCents) }));
    return lines;
  }

  const effective = p.effectiveQuotaCents ?? 0;
  if (view.quota && view.quota.rampFactor < 1) {
    lines.push(t("quota.ramping", { ramp: formatRate(view.quota.rampFactor, fmt.locale), full: m(view.quota.amountCents), effective: m(effective) }));
  } else {
    lines.push(t("quota.effective", { effective: m(effective) }));
  }
  lines.push(t("quota.won", { won: m(view.wonCents), attainment: pct(p.attainment ?? 0) }));
  lines.push(
    t(business ? "quota.pace.business" : "quota.pace.calendar", {
      target: m(p.paceTargetCents ?? 0),
      elapsed: p.elapsedDays,
      count: p.totalDays,
    }),
  );
  const gap = Math.abs(p.gapToPaceCents ?? 0);
  if (p.status === "attained") lines.push(t("quota.status.attained", { over: m(Math.max(0, view.wonCents - effective)) }));
  else if (p.status === "ahead") lines.push(t("quota.status.ahead", { gap: m(gap) }));
  else if (p.status === "behind") lines.push(t("quota.status.behind", { gap: m(gap) }));
  else lines.push(t((p.gapToPaceCents ?? 0) > 0 ? "quota.status.onPaceBehind" : "quota.status.onPaceAhead", { gap: m(gap) }));

  if (p.neededPerRemainingDayCents === null) lines.push(t("quota.periodOver"));
  else if (p.status !== "attained") {
    lines.push(
      t(business ? "quota.needed.business" : "quota.needed.calendar", {
        amount: m(p.neededPerRemainingDayCents),
        count: p.remainingDays,
        left: m(Math.max(0, effective - view.wonCents)),
      }),
    );
  }
  if (p.projectedFinishCents === null) lines.push(t(business ? "quota.projectedLater.business" : "quota.projectedLater.calendar"));
  else lines.push(t("quota.projected", { amount: m(p.projectedFinishCents), attainment: pct(p.projectedAttainment ?? 0) }));
  return lines;
}

/** The commission estimate lines (the owner's eyes only). */
export function commissionLines(t: Translator, fmt: Fmt, c: CommissionView): string[] {
  const m = (x: number) => money(fmt, x);
  const e = c.estimate;
  const lines = [
    t("quota.commission.title", { period: periodName(c.period, fmt.locale), rate: formatRate(c.plan.commissionRate, fmt.locale) }),
    t("quota.commission.earned", {
      commission: m(e.earnedToDate.commissionCents),
      bonus: m(e.earnedToDate.bonusCents),
      total: m(e.earnedToDate.totalVariableCents),
    }),
  ];
  if (e.projected) lines.push(t("quota.commission.projected", { total: m(e.projected.totalVariableCents) }));
  if (c.quotaCents === null || c.quotaCents === 0) {
    lines.push(t("quota.commission.noQuota", { period: periodName(c.period, fmt.locale) }));
    return lines;
  }
  const decelerated = e.earnedToDate.breakdown.some((l) => l.tier === "decelerated");
  if (decelerated && c.plan.deceleratorThreshold) {
    lines.push(
      t("quota.commission.decelerated", {
        threshold: formatPercent(c.plan.deceleratorThreshold, fmt.locale),
        rate: formatRate(c.plan.commissionRate * (c.plan.deceleratorMultiplier ?? 1), fmt.locale),
      }),
    );
  }
  if (c.plan.acceleratorMultiplier !== 1) {
    lines.push(t("quota.commission.accelerator", { rate: formatRate(c.plan.commissionRate * c.plan.acceleratorMultiplier, fmt.locale) }));
  }
  if (e.nextBonus) {
    lines.push(
      t("quota.commission.nextBonus", {
        needed: m(e.nextBonus.revenueNeededCents),
        threshold: formatPercent(e.nextBonus.attainment, fmt.locale),
        amount: m(e.nextBonus.amountCents),
      }),
    );
  } else if (c.plan.bonuses.length > 0) {
    lines.push(t("quota.commission.allBonuses"));
  }
  return lines;
}

/** The `/ae quota` answer (`of`: the Slack id of the person it is about, when not the reader). */
export function quotaBlocks(t: Translator, fmt: Fmt, view: QuotaView, opts: { showNoPlanHint: boolean; of?: string }): Reply {
  const { from, to } = periodRange(view.period, fmt.locale);
  const period = t("quota.title", { period: periodName(view.period, fmt.locale), from, to });
  // Someone else's view (a manager looking at a rep) says whose it is.
  const title = opts.of ? t("quota.titleOf", { user: `<@${opts.of}>`, title: period }) : period;
  const body = quotaLines(t, fmt, view).join("\n");
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: clip(`${title}\n${body}`) } },
  ];
  const texts = [title, body];
  if (view.commission) {
    const c = commissionLines(t, fmt, view.commission).join("\n");
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: clip(c) } });
    texts.push(c);
  } else if (opts.showNoPlanHint) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("quota.noPlan") }] });
  }
  return { text: texts.join("\n"), blocks };
}
