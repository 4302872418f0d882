// One ISP's reseller tree: who sits under whom, how deep, which resellers one account may see and manage,
// and where a new or moved reseller may go. Plain data in, decisions out; the store loads the links.
import { z } from 'zod';
import { type Refusal, refusal } from '../../shared/refusal';
import { type ResellerErrorCode, resellerErrorCatalogue } from './errors';

/**
 * Issue 13: "depth set by the ISP, at most 3". Depth 1 is a reseller the ISP created; a sale earns
 * commission on at most this many levels, so a split never has more parts than this plus the ISP.
 */
export const RESELLER_DEPTH_LIMIT = 3;
/** The ISP's choice when it has made none: resellers and one level of sub-resellers. */
export const RESELLER_DEPTH_DEFAULT = 2;

/** The ISP setting: how deep its hierarchy may grow (1 = no sub-resellers). */
export const resellerDepthSettingSchema = z.number().int().min(1).max(RESELLER_DEPTH_LIMIT);

/** One row of the tree as the store holds it. */
export interface ResellerLink {
  readonly id: string;
  /** null for a reseller the ISP created itself. */
  readonly parentId: string | null;
}

/** Who is acting: the ISP's own staff (any of its resellers) or a signed-in reseller (its subtree only). */
export type HierarchyActor =
  | { readonly kind: 'isp' }
  | { readonly kind: 'reseller'; readonly resellerId: string };

export type HierarchyRefusal = Refusal<ResellerErrorCode>;

export type PlacementDecision = { readonly ok: true; readonly depth: number } | HierarchyRefusal;

interface Node {
  readonly parentId: string | null;
  readonly depth: number;
  readonly childIds: string[];
}

/** Immutable once built; build it per request from the ISP's links (a few thousand rows at most). */
export class ResellerHierarchy {
  private constructor(private readonly nodes: ReadonlyMap<string, Node>) {}

  /**
   * Builds the tree. Links that break it (unknown parent, a cycle, a repeated id, deeper than
   * RESELLER_DEPTH_LIMIT) are stored-data corruption, not user input: RangeError.
   */
  static build(links: readonly ResellerLink[]): ResellerHierarchy {
    const parentById = new Map<string, string | null>();
    for (const link of links) {
      if (parentById.has(link.id)) throw new RangeError(`reseller ${link.id} appears twice`);
      parentById.set(link.id, link.parentId);
    }
    const nodes = new Map<string, Node>();
    const depthOf = (id: string, seen: Set<string>): number => {
      const known = nodes.get(id);
      if (known !== undefined) return known.depth;
      if (seen.has(id)) throw new RangeError(`reseller ${id} is its own ancestor`);
      seen.add(id);
      const parentId = parentById.get(id);
      if (parentId === undefined) throw new RangeError(`reseller parent ${id} is unknown`);
      const depth = parentId === null ? 1 : depthOf(parentId, seen) + 1;
      if (depth > RESELLER_DEPTH_LIMIT)
        throw new RangeError(`reseller ${id} is deeper than ${RESELLER_DEPTH_LIMIT}`);
      nodes.set(id, { parentId, depth, childIds: [] });
      return depth;
    };
    for (const link of links) depthOf(link.id, new Set());
    for (const link of links) {
      if (link.parentId !== null) nodes.get(link.parentId)!.childIds.push(link.id);
    }
    return new ResellerHierarchy(nodes);
  }

  has(resellerId: string): boolean {
    return this.nodes.has(resellerId);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** 1 for a reseller the ISP created, 2 for its sub-reseller, 3 below that. */
  depthOf(resellerId: string): number {
    return this.node(resellerId).depth;
  }

  parentOf(resellerId: string): string | null {
    return this.node(resellerId).parentId;
  }

  /** The seller first, then its parent, up to the top: index i is commission level i + 1. */
  chainOf(resellerId: string): string[] {
    const chain: string[] = [];
    let current: string | null = resellerId;
    while (current !== null) {
      chain.push(current);
      current = this.node(current).parentId;
    }
    return chain;
  }

  /** True when `resellerId` is `rootId` itself or below it. */
  isWithinSubtree(rootId: string, resellerId: string): boolean {
    if (!this.nodes.has(rootId) || !this.nodes.has(resellerId)) return false;
    let current: string | null = resellerId;
    while (current !== null) {
      if (current === rootId) return true;
      current = this.node(current).parentId;
    }
    return false;
  }

  /** `rootId` and everyone below it, level by level. */
  subtreeOf(rootId: string): string[] {
    const ids = [rootId];
    for (let index = 0; index < ids.length; index += 1) ids.push(...this.node(ids[index]!).childIds);
    return ids;
  }

  /** Levels below a reseller: 0 for one with no sub-resellers. */
  heightOf(resellerId: string): number {
    const node = this.node(resellerId);
    let height = 0;
    for (const childId of node.childIds) height = Math.max(height, this.heightOf(childId) + 1);
    return height;
  }

  /** Every reseller the actor may see: all for the ISP, the actor's own subtree for a reseller. */
  visibleTo(actor: HierarchyActor): string[] {
    if (actor.kind === 'isp') return [...this.nodes.keys()];
    return this.has(actor.resellerId) ? this.subtreeOf(actor.resellerId) : [];
  }

  canSee(actor: HierarchyActor, resellerId: string): boolean {
    if (actor.kind === 'isp') return this.has(resellerId);
    return this.isWithinSubtree(actor.resellerId, resellerId);
  }

  private node(resellerId: string): Node {
    const node = this.nodes.get(resellerId);
    if (node === undefined) throw new RangeError(`reseller ${resellerId} is not in this hierarchy`);
    return node;
  }
}

function refuse(code: ResellerErrorCode, message?: string): HierarchyRefusal {
  return refusal(resellerErrorCatalogue, code, message);
}

/**
 * Where a new reseller may be created: at the top (parentId null) only by the ISP; under a parent the
 * actor may see, as long as the new depth stays within the ISP's setting.
 */
export function decidePlacement(input: {
  readonly hierarchy: ResellerHierarchy;
  readonly actor: HierarchyActor;
  readonly parentId: string | null;
  readonly depthMax: number;
}): PlacementDecision {
  const { hierarchy, actor, parentId } = input;
  const depthMax = settingDepth(input.depthMax);
  if (parentId === null) {
    if (actor.kind === 'reseller') return refuse('reseller_outside_subtree');
    return { ok: true, depth: 1 };
  }
  if (!hierarchy.has(parentId)) return refuse('reseller_parent_unknown');
  if (!hierarchy.canSee(actor, parentId)) return refuse('reseller_outside_subtree');
  const depth = hierarchy.depthOf(parentId) + 1;
  if (depth > depthMax) return refuse('reseller_depth_exceeded', depthMessage(depthMax));
  return { ok: true, depth };
}

/**
 * Moving a reseller (with its whole subtree) under another parent, or to the top: only the ISP moves
 * resellers (a reseller re-parenting its sub-resellers would change who earns on their sales).
 */
export function decideMove(input: {
  readonly hierarchy: ResellerHierarchy;
  readonly actor: HierarchyActor;
  readonly resellerId: string;
  readonly newParentId: string | null;
  readonly depthMax: number;
}): PlacementDecision {
  const { hierarchy, actor, resellerId, newParentId } = input;
  const depthMax = settingDepth(input.depthMax);
  if (actor.kind !== 'isp') return refuse('reseller_outside_subtree');
  if (!hierarchy.has(resellerId)) return refuse('reseller_parent_unknown', 'No such reseller.');
  if (newParentId !== null && !hierarchy.has(newParentId)) return refuse('reseller_parent_unknown');
  if (newParentId !== null && hierarchy.isWithinSubtree(resellerId, newParentId)) {
    return refuse('reseller_move_creates_cycle');
  }
  const depth = newParentId === null ? 1 : hierarchy.depthOf(newParentId) + 1;
  if (depth + hierarchy.heightOf(resellerId) > depthMax) {
    return refuse('reseller_depth_exceeded', depthMessage(depthMax));
  }
  return { ok: true, depth };
}

function settingDepth(depthMax: number): number {
  return resellerDepthSettingSchema.parse(depthMax);
}

function depthMessage(depthMax: number): string {
  const levels = depthMax === 1 ? 'one level (no sub-resellers)' : `${depthMax} levels`;
  return `This ISP allows ${levels} of resellers: choose a parent higher up.`;
}
