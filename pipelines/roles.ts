/**
 * What a process runs. `all` is the single-process default; larger setups run several `api` and
 * `worker` processes and one `scheduler` against one Redis and one MongoDB.
 */
export const ROLES = ['all', 'api', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

export interface RolePlan {
  /** REST API (producers only: an api process never creates a BullMQ Worker). */
  readonly api: boolean;
  /** Intake, event routing, deliveries and the outbox relay. */
  readonly workers: boolean;
  /** Time-driven jobs: the raw-message sweeper (schedules of later connectors join it). */
  readonly scheduler: boolean;
}

export function planRole(role: Role): RolePlan {
  return { api: role === 'all' || role === 'api', workers: role === 'all' || role === 'worker', scheduler: role === 'all' || role === 'scheduler' };
}
