// The attributes of an Access-Accept from the policy's ReplyPlan. Values that recur reply after reply (the
// tenant's Idle-Timeout and interim interval, a plan's rate, the walled-garden list) are encoded once and
// reused: the encoder copies values, never changes them.
import { Attribute, MikrotikAttribute, VendorId } from '@kiunga/dictionaries';
import {
  integerAttribute,
  integerValue,
  ipAddressAttribute,
  type OutgoingAttribute,
  stringAttribute,
  stringValue,
  vendorAttribute,
} from '../codec/index';
import type { ReplyPlan } from '../policy/index';

/**
 * Encoded values kept per kind. The values come from tenant settings and plans, so few distinct ones
 * recur; the bound only guards against a stream of unusual ones (the memo then starts afresh).
 */
export const REPLY_ATTRIBUTE_MEMO_MAX = 4_096;
/** Integer attribute types are one octet, so type × 2^32 + value is exact and distinct. */
const INTEGER_KEY_FACTOR = 2 ** 32;

const integerMemo = new Map<number, OutgoingAttribute>();
const rateLimitMemo = new Map<string, OutgoingAttribute>();
const addressListMemo = new Map<string, OutgoingAttribute>();

function remembered<Key>(
  memo: Map<Key, OutgoingAttribute>,
  key: Key,
  make: (key: Key) => OutgoingAttribute,
): OutgoingAttribute {
  let attribute = memo.get(key);
  if (attribute === undefined) {
    if (memo.size >= REPLY_ATTRIBUTE_MEMO_MAX) memo.clear();
    attribute = make(key);
    memo.set(key, attribute);
  }
  return attribute;
}

function recurringInteger(type: number, value: number): OutgoingAttribute {
  return remembered(integerMemo, type * INTEGER_KEY_FACTOR + value, () => integerAttribute(type, value));
}

const makeRateLimit = (rateLimit: string) =>
  vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.RateLimit, stringValue(rateLimit));
const makeAddressList = (addressList: string) =>
  vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.AddressList, stringValue(addressList));

export function replyAttributes(reply: ReplyPlan): OutgoingAttribute[] {
  const attributes: OutgoingAttribute[] = [];
  if (reply.sessionTimeoutSeconds !== null) {
    attributes.push(integerAttribute(Attribute.SessionTimeout, reply.sessionTimeoutSeconds));
  }
  attributes.push(recurringInteger(Attribute.IdleTimeout, reply.idleTimeoutSeconds));
  attributes.push(recurringInteger(Attribute.AcctInterimInterval, reply.interimIntervalSeconds));
  if (reply.rateLimit) attributes.push(remembered(rateLimitMemo, reply.rateLimit, makeRateLimit));
  if (reply.framedIpAddress)
    attributes.push(ipAddressAttribute(Attribute.FramedIpAddress, reply.framedIpAddress));
  // RFC 2869 §5.18 Framed-Pool (88): "the name of an assigned address pool that SHOULD be used".
  if (reply.framedPool) attributes.push(stringAttribute(Attribute.FramedPool, reply.framedPool));
  if (reply.totalLimitBytes !== null) {
    // 64-bit byte count as MikroTik's low 32 bits + gigawords pair.
    const gigawords = Math.floor(reply.totalLimitBytes / 2 ** 32);
    attributes.push(
      vendorAttribute(
        VendorId.Mikrotik,
        MikrotikAttribute.TotalLimit,
        integerValue(reply.totalLimitBytes % 2 ** 32),
      ),
    );
    if (gigawords > 0) {
      attributes.push(
        vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.TotalLimitGigawords, integerValue(gigawords)),
      );
    }
  }
  if (reply.addressList) attributes.push(remembered(addressListMemo, reply.addressList, makeAddressList));
  return attributes;
}
