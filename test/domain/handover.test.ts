import { describe, expect, it } from "vitest";
import { countsOf, handoverProblem, handoverScopeOf, isEmptyPlan, planFingerprint } from "../../src/domain/handover.js";

describe("handover scope words", () => {
  it.each([
    ["all", "all"],
    ["ALL", "all"],
    ["alles", "all"],
    ["accounts", "accounts"],
    ["Kunden", "accounts"],
    ["everything", null],
    ["__proto__", null],
    ["", null],
  ] as const)("%s → %s", (word, scope) => {
    expect(handoverScopeOf(word)).toBe(scope);
  });
});

describe("handover plans", () => {
  const plan = { accountIds: [3, 1], followUpIds: [7], dealIds: [] };
  it.each([
    ["same ids in another order", { accountIds: [1, 3], followUpIds: [7], dealIds: [] }, true],
    ["one account more", { accountIds: [1, 3, 4], followUpIds: [7], dealIds: [] }, false],
    ["an id moved from follow-ups to deals", { accountIds: [1, 3], followUpIds: [], dealIds: [7] }, false],
    ["one swapped for another (same counts)", { accountIds: [1, 4], followUpIds: [7], dealIds: [] }, false],
  ])("fingerprint equal for %s: %s", (_name, other, equal) => {
    expect(planFingerprint(other) === planFingerprint(plan)).toBe(equal);
  });

  it("counts, emptiness and the same-person check", () => {
    expect(countsOf(plan)).toEqual({ accounts: 2, followUps: 1, deals: 0 });
    expect(isEmptyPlan(plan)).toBe(false);
    expect(isEmptyPlan({ accountIds: [], followUpIds: [], dealIds: [] })).toBe(true);
    expect(planFingerprint(plan)).toMatch(/^[0-9a-f]{16}$/);
    expect(handoverProblem(5, 5)).toBe("same_person");
    expect(handoverProblem(5, 6)).toBeNull();
  });
});
