/** Open-deal stages a rep can set; "won"/"lost" are reached through `/ae won` and `/ae lost`. */
export const OPEN_STAGES = ["prospect", "qualified", "proposal", "negotiation"] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];
export type DealStatus = "open" | "won" | "lost";

export function isOpenStage(value: string): value is OpenStage {
  return (OPEN_STAGES as readonly string[]).includes(value);
}
