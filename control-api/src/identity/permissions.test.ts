import { describe, expect, it } from 'vitest';
import { isIspPermission, isPlatformPermission, permissionsNotHeld } from './permissions';

describe('permission checks', () => {
  it('finds the names a creator does not hold (no privilege escalation)', () => {
    const held = new Set(['plans.read', 'plans.write', 'vouchers.read']);
    expect(permissionsNotHeld(['plans.read', 'vouchers.read'], held)).toEqual([]);
    expect(permissionsNotHeld([], held)).toEqual([]);
    expect(permissionsNotHeld(['plans.read', 'staff.manage', 'staff.manage'], held)).toEqual([
      'staff.manage',
    ]);
  });

  it('tells platform and ISP catalogue names apart', () => {
    expect(isPlatformPermission('tenants.read')).toBe(true);
    expect(isPlatformPermission('plans.read')).toBe(false);
    expect(isIspPermission('plans.read')).toBe(true);
    expect(isIspPermission('tenants.write')).toBe(false);
    expect(isIspPermission('everything')).toBe(false);
  });
});
