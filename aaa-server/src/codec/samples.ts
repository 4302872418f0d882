// Realistic packets shared by the codec tests and ops/bench/codec, so both measure the same thing.
import { Attribute, MikrotikAttribute, PacketCode, ServiceType, VendorId } from '@kiunga/dictionaries';
import { integerAttribute, ipAddressAttribute, stringAttribute, vendorAttribute } from './attributes';
import { encodeRequest } from './encode';
import type { OutgoingAttribute } from './packet';
import { encryptUserPassword } from './password';

export const SAMPLE_SECRET = 'kiunga-test-secret';
const NAS_PORT_TYPE_WIRELESS = 19;
const SAMPLE_IDENTIFIER = 42;
const SAMPLE_SESSION_TIMEOUT_SECONDS = 3600;

/** What RouterOS 7 hotspot sends for a voucher login with PAP (Message-Authenticator first, as 7.15+ does). */
export function sampleHotspotAccessRequest(authenticator: Buffer): Buffer {
  const attributes: OutgoingAttribute[] = [
    integerAttribute(Attribute.ServiceType, ServiceType.Login),
    stringAttribute(Attribute.UserName, 'VCH-7K3P9Q'),
    { type: Attribute.UserPassword, value: encryptUserPassword('7K3P9Q', SAMPLE_SECRET, authenticator) },
    stringAttribute(Attribute.CallingStationId, 'A4:5E:60:C2:11:9F'),
    stringAttribute(Attribute.CalledStationId, 'hotspot-kibera'),
    integerAttribute(Attribute.NasPortType, NAS_PORT_TYPE_WIRELESS),
    integerAttribute(Attribute.NasPort, 2158821377),
    stringAttribute(Attribute.NasPortId, 'bridge-hotspot'),
    stringAttribute(Attribute.AcctSessionId, '80d00001'),
    ipAddressAttribute(Attribute.FramedIpAddress, '10.5.50.23'),
    vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.HostIp, Buffer.from([10, 5, 50, 23])),
    stringAttribute(Attribute.NasIdentifier, 'KIBERA-HAP-AC2'),
    ipAddressAttribute(Attribute.NasIpAddress, '192.168.88.1'),
  ];
  return encodeRequest({
    code: PacketCode.AccessRequest,
    identifier: SAMPLE_IDENTIFIER,
    attributes,
    secret: SAMPLE_SECRET,
    authenticator,
    includeMessageAuthenticator: true,
  });
}

/** A voucher Access-Accept: five attributes, as the policy layer would return them. */
export function sampleAcceptAttributes(): OutgoingAttribute[] {
  return [
    integerAttribute(Attribute.SessionTimeout, SAMPLE_SESSION_TIMEOUT_SECONDS),
    integerAttribute(Attribute.AcctInterimInterval, 300),
    stringAttribute(Attribute.Class, 'vch_01J9Z3K4'),
    vendorAttribute(
      VendorId.Mikrotik,
      MikrotikAttribute.RateLimit,
      Buffer.from('2M/5M 4M/8M 1536k/3M 16/16 8'),
    ),
    vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.AddressList, Buffer.from('vouchers')),
  ];
}
