// Access-Accept attributes from a ReplyPlan, with recurring values encoded once.
import { Attribute, MikrotikAttribute, VendorId } from '@kiunga/dictionaries';
import { describe, expect, it } from 'vitest';
import type { ReplyPlan } from '../policy/index';
import { replyAttributes } from './reply-attributes';

const plan: ReplyPlan = {
  sessionTimeoutSeconds: 3_600,
  idleTimeoutSeconds: 900,
  interimIntervalSeconds: 300,
  rateLimit: '1024k/2048k',
  framedIpAddress: null,
  framedPool: 'pppoe-pool',
  addressList: 'kiunga-expired',
  totalLimitBytes: 2 ** 32 + 5,
};

const find = (attributes: ReturnType<typeof replyAttributes>, type: number, vendorType?: number) =>
  attributes.find(
    (item) => item.type === type && (vendorType === undefined || item.vendorType === vendorType),
  );

describe('replyAttributes', () => {
  it('encodes every field of the plan', () => {
    const attributes = replyAttributes(plan);
    expect(find(attributes, Attribute.SessionTimeout)?.value.readUInt32BE(0)).toBe(3_600);
    expect(find(attributes, Attribute.IdleTimeout)?.value.readUInt32BE(0)).toBe(900);
    expect(find(attributes, Attribute.AcctInterimInterval)?.value.readUInt32BE(0)).toBe(300);
    expect(find(attributes, Attribute.FramedPool)?.value.toString()).toBe('pppoe-pool');
    const rate = find(attributes, Attribute.VendorSpecific, MikrotikAttribute.RateLimit);
    expect(rate).toMatchObject({ vendorId: VendorId.Mikrotik });
    expect(rate?.value.toString()).toBe('1024k/2048k');
    expect(find(attributes, Attribute.VendorSpecific, MikrotikAttribute.AddressList)?.value.toString()).toBe(
      'kiunga-expired',
    );
    expect(
      find(attributes, Attribute.VendorSpecific, MikrotikAttribute.TotalLimit)?.value.readUInt32BE(0),
    ).toBe(5);
    expect(
      find(attributes, Attribute.VendorSpecific, MikrotikAttribute.TotalLimitGigawords)?.value.readUInt32BE(
        0,
      ),
    ).toBe(1);
  });

  it('reuses recurring values and encodes the changing Session-Timeout afresh', () => {
    const first = replyAttributes(plan);
    const second = replyAttributes({ ...plan, sessionTimeoutSeconds: 1_200 });
    expect(find(second, Attribute.IdleTimeout)).toBe(find(first, Attribute.IdleTimeout));
    expect(find(second, Attribute.VendorSpecific, MikrotikAttribute.RateLimit)).toBe(
      find(first, Attribute.VendorSpecific, MikrotikAttribute.RateLimit),
    );
    expect(find(second, Attribute.SessionTimeout)?.value.readUInt32BE(0)).toBe(1_200);
    expect(find(first, Attribute.SessionTimeout)?.value.readUInt32BE(0)).toBe(3_600);
  });
});
