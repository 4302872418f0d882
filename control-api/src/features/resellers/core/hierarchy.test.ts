// The reseller tree: depth, chains, what a reseller sees, where new and moved resellers may go.
import { describe, expect, it } from 'vitest';
import { decideMove, decidePlacement, ResellerHierarchy } from './hierarchy';

/** kiosk-a and kiosk-b under agent-1, caretaker under kiosk-a; agent-2 alone. */
const tree = ResellerHierarchy.build([
  { id: 'caretaker', parentId: 'kiosk-a' },
  { id: 'agent-1', parentId: null },
  { id: 'kiosk-a', parentId: 'agent-1' },
  { id: 'kiosk-b', parentId: 'agent-1' },
  { id: 'agent-2', parentId: null },
]);
const isp = { kind: 'isp' } as const;
const asReseller = (resellerId: string) => ({ kind: 'reseller', resellerId }) as const;

describe('ResellerHierarchy', () => {
  it('knows each reseller’s depth and its chain up to the ISP, seller first', () => {
    expect(tree.depthOf('agent-1')).toBe(1);
    expect(tree.depthOf('caretaker')).toBe(3);
    expect(tree.chainOf('caretaker')).toEqual(['caretaker', 'kiosk-a', 'agent-1']);
    expect(tree.chainOf('agent-2')).toEqual(['agent-2']);
    expect(tree.heightOf('agent-1')).toBe(2);
    expect(tree.heightOf('kiosk-b')).toBe(0);
  });

  it('lets a reseller see its own subtree and nothing of its siblings or parents', () => {
    expect(tree.visibleTo(asReseller('kiosk-a')).sort()).toEqual(['caretaker', 'kiosk-a']);
    expect(tree.canSee(asReseller('kiosk-a'), 'kiosk-b')).toBe(false);
    expect(tree.canSee(asReseller('kiosk-a'), 'agent-1')).toBe(false);
    expect(tree.canSee(asReseller('agent-1'), 'caretaker')).toBe(true);
    expect(tree.canSee(asReseller('agent-2'), 'caretaker')).toBe(false);
    expect(tree.visibleTo(isp)).toHaveLength(5);
    expect(tree.visibleTo(asReseller('someone-of-another-isp'))).toEqual([]);
  });

  it('refuses stored links that are not a tree or are deeper than three levels', () => {
    expect(() => ResellerHierarchy.build([{ id: 'a', parentId: 'missing' }])).toThrow(/unknown/);
    expect(() =>
      ResellerHierarchy.build([
        { id: 'a', parentId: 'b' },
        { id: 'b', parentId: 'a' },
      ]),
    ).toThrow(/own ancestor/);
    expect(() =>
      ResellerHierarchy.build([
        { id: 'a', parentId: null },
        { id: 'a', parentId: null },
      ]),
    ).toThrow(/twice/);
    expect(() =>
      ResellerHierarchy.build([
        { id: 'a', parentId: null },
        { id: 'b', parentId: 'a' },
        { id: 'c', parentId: 'b' },
        { id: 'd', parentId: 'c' },
      ]),
    ).toThrow(/deeper than 3/);
  });
});

describe('decidePlacement', () => {
  it('lets the ISP create top-level resellers and a reseller create below itself within the depth', () => {
    expect(decidePlacement({ hierarchy: tree, actor: isp, parentId: null, depthMax: 3 })).toEqual({
      ok: true,
      depth: 1,
    });
    expect(
      decidePlacement({ hierarchy: tree, actor: asReseller('agent-1'), parentId: 'kiosk-b', depthMax: 3 }),
    ).toEqual({ ok: true, depth: 3 });
  });

  it('refuses a level deeper than the ISP set, saying how deep it may go', () => {
    const decision = decidePlacement({ hierarchy: tree, actor: isp, parentId: 'kiosk-a', depthMax: 2 });
    expect(decision).toMatchObject({ ok: false, code: 'reseller_depth_exceeded', httpStatus: 409 });
    expect(decision.ok === false && decision.message).toBe(
      'This ISP allows 2 levels of resellers: choose a parent higher up.',
    );
    const flat = decidePlacement({ hierarchy: tree, actor: isp, parentId: 'agent-2', depthMax: 1 });
    expect(flat.ok === false && flat.message).toMatch(/one level \(no sub-resellers\)/);
  });

  it('refuses a reseller placing anyone outside its subtree or at the top', () => {
    expect(
      decidePlacement({ hierarchy: tree, actor: asReseller('kiosk-a'), parentId: 'kiosk-b', depthMax: 3 }),
    ).toMatchObject({ ok: false, code: 'reseller_outside_subtree', httpStatus: 403 });
    expect(
      decidePlacement({ hierarchy: tree, actor: asReseller('agent-1'), parentId: null, depthMax: 3 }),
    ).toMatchObject({ ok: false, code: 'reseller_outside_subtree' });
    expect(decidePlacement({ hierarchy: tree, actor: isp, parentId: 'nobody', depthMax: 3 })).toMatchObject({
      ok: false,
      code: 'reseller_parent_unknown',
    });
  });

  it('refuses a depth setting outside 1..3', () => {
    expect(() => decidePlacement({ hierarchy: tree, actor: isp, parentId: null, depthMax: 4 })).toThrow();
  });
});

describe('decideMove', () => {
  it('moves a reseller with its subtree when the whole subtree still fits', () => {
    expect(
      decideMove({ hierarchy: tree, actor: isp, resellerId: 'kiosk-b', newParentId: 'agent-2', depthMax: 2 }),
    ).toEqual({ ok: true, depth: 2 });
    expect(
      decideMove({ hierarchy: tree, actor: isp, resellerId: 'kiosk-a', newParentId: 'agent-2', depthMax: 2 }),
    ).toMatchObject({ ok: false, code: 'reseller_depth_exceeded' });
  });

  it('refuses a move under the reseller’s own subtree, and any move by a reseller', () => {
    expect(
      decideMove({
        hierarchy: tree,
        actor: isp,
        resellerId: 'agent-1',
        newParentId: 'caretaker',
        depthMax: 3,
      }),
    ).toMatchObject({ ok: false, code: 'reseller_move_creates_cycle' });
    expect(
      decideMove({
        hierarchy: tree,
        actor: asReseller('agent-1'),
        resellerId: 'kiosk-a',
        newParentId: 'kiosk-b',
        depthMax: 3,
      }),
    ).toMatchObject({ ok: false, code: 'reseller_outside_subtree' });
  });
});
