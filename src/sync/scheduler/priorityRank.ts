/**
 * Priorities as numbers, higher first: p-queue's `priority`, the block
 * limiter's global queue and the pacing line all order by this one table.
 */
import type { Priority } from '../schedulerApi.js';

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { send: 2, recent: 1, backlog: 0 };
