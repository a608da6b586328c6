import { describe, expect, it } from "vitest";
import { canAccess, canAdminister, canManageTeams, canReassign, canSetQuota, canViewTeam, canViewUser, scopeOf, type Principal } from "../../src/domain/authorization.js";

const rep: Principal = { userId: 1, role: "rep", managedUserIds: new Set() };
const manager: Principal = { userId: 10, role: "manager", managedUserIds: new Set([1, 2]) };
const admin: Principal = { userId: 99, role: "admin", managedUserIds: new Set() };

describe("canAccess", () => {
  it.each([
    ["rep → own", rep, 1, true, undefined],
    ["rep → other rep", rep, 2, false, "not_owner"],
    ["manager → own", manager, 10, true, undefined],
    ["manager → own team member", manager, 2, true, undefined],
    ["manager → other team", manager, 3, false, "not_your_team"],
    ["admin → anyone", admin, 3, true, undefined],
  ] as const)("%s", (_name, p, owner, allowed, reason) => {
    const d = canAccess(p, owner);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toBe(reason);
  });
});

describe("scopes and admin rights", () => {
  it.each([
    [rep, { kind: "owners", ownerIds: [1] }],
    [manager, { kind: "owners", ownerIds: [10, 1, 2] }],
    [admin, { kind: "all" }],
  ] as const)("scopeOf(%o)", (p, scope) => {
    expect(scopeOf(p)).toEqual(scope);
  });

  it.each([
    ["rep sets a quota", canSetQuota(rep, 1).allowed, false],
    ["manager sets own team's quota", canSetQuota(manager, 2).allowed, true],
    ["manager sets another team's quota", canSetQuota(manager, 3).allowed, false],
    ["admin sets any quota", canSetQuota(admin, 3).allowed, true],
    ["rep manages teams", canManageTeams(rep).allowed, false],
    ["manager manages teams", canManageTeams(manager).allowed, true],
    ["manager administers", canAdminister(manager).allowed, false],
    ["admin administers", canAdminister(admin).allowed, true],
  ])("%s → %s", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("the manager's view and handing over a book", () => {
  // manager 10 manages 1 and 2; 3 is in someone else's team.
  it.each([
    ["rep views own", canViewUser(rep, 1), true, undefined],
    ["rep views another rep", canViewUser(rep, 2), false, "not_owner"],
    ["manager views team member", canViewUser(manager, 2), true, undefined],
    ["manager views outside the team", canViewUser(manager, 3), false, "not_your_team"],
    ["admin views anyone", canViewUser(admin, 3), true, undefined],
    ["rep views a team", canViewTeam(rep), false, "manager_only"],
    ["manager views their team", canViewTeam(manager), true, undefined],
    ["admin views a team", canViewTeam(admin), true, undefined],
    ["rep reassigns own book", canReassign(rep, 1, 2), false, "manager_only"],
    ["manager reassigns within the team", canReassign(manager, 1, 2), true, undefined],
    ["manager takes a member's book", canReassign(manager, 1, 10), true, undefined],
    ["manager gives to someone outside", canReassign(manager, 1, 3), false, "not_your_team"],
    ["manager takes from someone outside", canReassign(manager, 3, 1), false, "not_your_team"],
    ["admin reassigns anyone", canReassign(admin, 3, 4), true, undefined],
  ] as const)("%s", (_name, d, allowed, reason) => {
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toBe(reason);
  });
});
