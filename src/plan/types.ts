/**
 * The planner's output: plain data the scheduler executes. Each item carries
 * its cost in API calls per endpoint so the scheduler can admit it against the
 * daily budget before it starts.
 */
import type { EndpointId } from '../feishu/endpoints.js';
import type { SkipReason } from '../scan/types.js';

export type CallCost = Partial<Record<EndpointId, number>>;

interface PlanItemBase {
  mappingId: string;
  /** Where the item lands (relative path, NFC). */
  relPath: string;
  cost: CallCost;
}

export type PlanItem =
  /** Create the remote folder for relPath; its parent's folder item always comes first. */
  | (PlanItemBase & { op: 'createFolder' })
  /** A file never uploaded. */
  | (PlanItemBase & { op: 'upload'; size: number; mtimeNs: bigint; ino: string; hash: string | null })
  /** A changed file: new version of the same remote file (file_token). */
  | (PlanItemBase & { op: 'uploadVersion'; size: number; mtimeNs: bigint; ino: string; hash: string | null; fileToken: string })
  /**
   * Same content at another folder (same name): one `move` call. `type`
   * 'folder' (only with the planner's `folderMoves` policy): a whole folder
   * moved with everything in it — the call answers with a task id to poll,
   * and the index re-paths everything under fromRelPath (renameFolder).
   * Absent means 'file'.
   */
  | (PlanItemBase & { op: 'move'; fromRelPath: string; fileToken: string; type?: 'file' | 'folder' })
  /** Same content, new name: server-side copy under the new name, then trash the old one. */
  | (PlanItemBase & { op: 'rename'; fromRelPath: string; fileToken: string })
  /** The local file is gone and the policy is `trash`. */
  | (PlanItemBase & { op: 'trash'; fileToken: string; type: 'file' | 'folder' })
  /** The local file is gone and the policy is `keep`: forget it locally, no call. */
  | (PlanItemBase & { op: 'forget'; type?: 'file' | 'folder' })
  /** Metadata changed but the content hash is equal: update the index, no call. */
  | (PlanItemBase & { op: 'touch'; size: number; mtimeNs: bigint; ino: string; hash: string })
  /** Will not go; recorded and shown. */
  | (PlanItemBase & { op: 'skip'; reason: SkipReason; detail?: string });

export type PlanOp = PlanItem['op'];

export interface Plan {
  items: PlanItem[];
  /** Sum of all item costs. */
  totalCost: CallCost;
}
