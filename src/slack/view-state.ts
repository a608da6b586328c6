import type { ViewOutput } from "@slack/bolt";

/** `view.state.values` of a submitted modal: `[block_id][action_id]`. */
export type StateValues = ViewOutput["state"]["values"];

/**
 * Readers for the modals whose inputs use the same id for block and action (see ids.ts). Each
 * tolerates a missing or oddly shaped value (a forged payload) by returning "nothing entered".
 */
function entry(values: StateValues, id: string) {
  return values[id]?.[id];
}

export function stateText(values: StateValues, id: string): string {
  const v = entry(values, id)?.value;
  return typeof v === "string" ? v : "";
}

export function stateSelected(values: StateValues, id: string): string | null {
  const v = entry(values, id)?.selected_option?.value;
  return typeof v === "string" ? v : null;
}

export function stateDate(values: StateValues, id: string): string | null {
  const v = entry(values, id)?.selected_date;
  return typeof v === "string" ? v : null;
}

export function stateUsers(values: StateValues, id: string): string[] {
  const v = entry(values, id)?.selected_users;
  return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : [];
}

export function stateChecked(values: StateValues, id: string): string[] {
  const v = entry(values, id)?.selected_options;
  return Array.isArray(v) ? v.map((o) => o.value).filter((x): x is string => typeof x === "string") : [];
}

/** A positive integer id from a select's value, or null. */
export function stateId(values: StateValues, id: string): number | null {
  const v = stateSelected(values, id);
  return v !== null && /^\d{1,12}$/.test(v) ? Number(v) : null;
}
