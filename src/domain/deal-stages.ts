/** Open-deal stages a rep can set; "won"/"lost" are reached through `/ae won` and `/ae lost`. */
export const OPEN_STAGES = ["prospect", "qualified", "proposal", "negotiation"] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];
export type DealStatus = "open" | "won" | "lost";

export function isOpenStage(value: string): value is OpenStage {
  return (OPEN_STAGES as readonly string[]).includes(value);
}

/** The German stage names (as the German catalog shows them) next to the English ones. */
const GERMAN_STAGES: Readonly<Record<string, OpenStage>> = {
  interessent: "prospect",
  qualifiziert: "qualified",
  angebot: "proposal",
  verhandlung: "negotiation",
};

/** A typed stage, in English or German, any case; null when it is not an open stage. */
export function parseOpenStage(text: string): OpenStage | null {
  const s = text.trim().toLowerCase();
  if (isOpenStage(s)) return s;
  return Object.hasOwn(GERMAN_STAGES, s) ? GERMAN_STAGES[s]! : null;
}
