import type { ViewOutput } from "@slack/bolt";

/** `view.state.values` of a submitted modal: `[block_id][action_id]`. */
export type StateValues = ViewOutput["state"]["values"];

/**
 * The one way to read a submitted modal's fields. Most inputs use the same id for block and
 * action (see ids.ts); pass `actionId` when they differ. Each reader tolerates a missing or oddly
 * shaped value (a forged payload) by returning "nothing entered".
 */
function entry(values: StateValues, id: string, actionId: string = id) {
  return values[id]?.[actionId];
}

export function stateText(values: StateValues, id: string, actionId?: string): string {
  const v = entry(values, id, actionId)?.value;
  return typeof v === "string" ? v : "";
}

export function stateSelected(values: StateValues, id: string, actionId?: string): string | null {
  const v = entry(values, id, actionId)?.selected_option?.value;
  return typeof v === "string" ? v : null;
}

export function stateDate(values: StateValues, id: string, actionId?: string): string | null {
  const v = entry(values, id, actionId)?.selected_date;
  return typeof v === "string" ? v : null;
}

export function stateTime(values: StateValues, id: string, actionId?: string): string | null {
  const v = entry(values, id, actionId)?.selected_time;
  return typeof v === "string" ? v : null;
}

export function stateUsers(values: StateValues, id: string): string[] {
  const v = entry(values, id)?.selected_users;
  return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : [];
}

export function stateUser(values: StateValues, id: string): string | null {
  const v = entry(values, id)?.selected_user;
  return typeof v === "string" && v !== "" ? v : null;
}

export function stateConversation(values: StateValues, id: string): string | null {
  const v = entry(values, id)?.selected_conversation;
  return typeof v === "string" && v !== "" ? v : null;
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
