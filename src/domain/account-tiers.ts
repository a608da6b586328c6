/** How much attention an account gets: key accounts are touched most often. */
export const TIERS = ["key", "growth", "standard"] as const;
export type Tier = (typeof TIERS)[number];

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}
