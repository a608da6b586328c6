/**
 * Who may see and change whose data. Reps: their own. Managers: their own and their teams'
 * members'. Admins (Slack workspace admins/owners, or given the role): everyone's.
 */
export type Role = "rep" | "manager" | "admin";

export interface Principal {
  userId: number;
  role: Role;
  /** User ids of the members of the teams this user manages (empty for reps). */
  managedUserIds: ReadonlySet<number>;
}

/** Whose records the principal can see: "all", or a list of owner ids. */
export type Scope = { kind: "all" } | { kind: "owners"; ownerIds: number[] };

export function scopeOf(p: Principal): Scope {
  if (p.role === "admin") return { kind: "all" };
  const ids = new Set<number>([p.userId]);
  if (p.role === "manager") for (const id of p.managedUserIds) ids.add(id);
  return { kind: "owners", ownerIds: [...ids] };
}

export type Denial = "not_owner" | "not_your_team" | "admin_only" | "manager_only";

export type Decision = { allowed: true } | { allowed: false; reason: Denial };

const ALLOW: Decision = { allowed: true };

/** May the principal see or change a record owned by `ownerId`? */
export function canAccess(p: Principal, ownerId: number): Decision {
  if (p.role === "admin" || ownerId === p.userId) return ALLOW;
  if (p.role === "manager") return p.managedUserIds.has(ownerId) ? ALLOW : { allowed: false, reason: "not_your_team" };
  return { allowed: false, reason: "not_owner" };
}

/** Managing teams and quotas: managers and admins. */
export function canManageTeams(p: Principal): Decision {
  return p.role === "rep" ? { allowed: false, reason: "manager_only" } : ALLOW;
}

/** Setting someone's quota: admins for anyone; managers for themselves and their team. */
export function canSetQuota(p: Principal, targetUserId: number): Decision {
  if (p.role === "admin") return ALLOW;
  if (p.role === "rep") return { allowed: false, reason: "manager_only" };
  return targetUserId === p.userId || p.managedUserIds.has(targetUserId) ? ALLOW : { allowed: false, reason: "not_your_team" };
}

/** Roles, workspace settings and comp plans: admins only. */
export function canAdminister(p: Principal): Decision {
  return p.role === "admin" ? ALLOW : { allowed: false, reason: "admin_only" };
}

export function isRole(value: string): value is Role {
  return value === "rep" || value === "manager" || value === "admin";
}

/**
 * Looking at another person's numbers or follow-ups (`/ae quota @rep`, `/ae followups @rep`):
 * everyone may look at their own; managers at their teams' members; admins at anyone.
 */
export function canViewUser(p: Principal, targetUserId: number): Decision {
  return canAccess(p, targetUserId);
}

/** A whole team's view (`/ae followups team`): managers and admins. */
export function canViewTeam(p: Principal): Decision {
  return canManageTeams(p);
}

/**
 * Handing a book from one person to another (`/ae reassign`): admins between anyone; managers
 * only between people in the teams they manage (or themselves); reps never.
 */
export function canReassign(p: Principal, fromUserId: number, toUserId: number): Decision {
  if (p.role === "admin") return ALLOW;
  if (p.role === "rep") return { allowed: false, reason: "manager_only" };
  const inTeam = (id: number) => id === p.userId || p.managedUserIds.has(id);
  return inTeam(fromUserId) && inTeam(toUserId) ? ALLOW : { allowed: false, reason: "not_your_team" };
}
