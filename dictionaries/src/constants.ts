// Numeric codes the server uses directly, so hot paths compare numbers instead of looking up names.
import { MICROSOFT_VENDOR_ID } from './microsoft';
import { MIKROTIK_VENDOR_ID } from './mikrotik';

/** RADIUS packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5997, RFC 5176 §3). */
export const PacketCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;
export type PacketCode = (typeof PacketCode)[keyof typeof PacketCode];

export const VendorId = {
  Microsoft: MICROSOFT_VENDOR_ID,
  Mikrotik: MIKROTIK_VENDOR_ID,
} as const;
export type VendorId = (typeof VendorId)[keyof typeof VendorId];

/** Standard attribute codes (RFC 2865, 2866, 2869, 3162, 4818, 5176). */
export const Attribute = {
  UserName: 1,
  UserPassword: 2,
  ChapPassword: 3,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIpAddress: 8,
  FramedIpNetmask: 9,
  FilterId: 11,
  FramedMtu: 12,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  IdleTimeout: 28,
  TerminationAction: 29,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  AcctStatusType: 40,
  AcctDelayTime: 41,
  AcctInputOctets: 42,
  AcctOutputOctets: 43,
  AcctSessionId: 44,
  AcctAuthentic: 45,
  AcctSessionTime: 46,
  AcctInputPackets: 47,
  AcctOutputPackets: 48,
  AcctTerminateCause: 49,
  AcctMultiSessionId: 50,
  AcctLinkCount: 51,
  AcctInputGigawords: 52,
  AcctOutputGigawords: 53,
  EventTimestamp: 55,
  ChapChallenge: 60,
  NasPortType: 61,
  PortLimit: 62,
  ConnectInfo: 77,
  EapMessage: 79,
  MessageAuthenticator: 80,
  AcctInterimInterval: 85,
  NasPortId: 87,
  FramedPool: 88,
  NasIpv6Address: 95,
  FramedIpv6Prefix: 97,
  FramedIpv6Pool: 100,
  ErrorCause: 101,
  DelegatedIpv6Prefix: 123,
} as const;
export type Attribute = (typeof Attribute)[keyof typeof Attribute];

export const MicrosoftAttribute = {
  ChapResponse: 1,
  ChapError: 2,
  MppeEncryptionPolicy: 7,
  MppeEncryptionTypes: 8,
  ChapDomain: 10,
  ChapChallenge: 11,
  MppeSendKey: 16,
  MppeRecvKey: 17,
  Chap2Response: 25,
  Chap2Success: 26,
  PrimaryDnsServer: 28,
  SecondaryDnsServer: 29,
} as const;
export type MicrosoftAttribute = (typeof MicrosoftAttribute)[keyof typeof MicrosoftAttribute];

export const MikrotikAttribute = {
  RecvLimit: 1,
  XmitLimit: 2,
  Group: 3,
  WirelessForward: 4,
  RateLimit: 8,
  Realm: 9,
  HostIp: 10,
  MarkId: 11,
  AdvertiseUrl: 12,
  AdvertiseInterval: 13,
  RecvLimitGigawords: 14,
  XmitLimitGigawords: 15,
  TotalLimit: 17,
  TotalLimitGigawords: 18,
  AddressList: 19,
  DelegatedIpv6Pool: 22,
} as const;
export type MikrotikAttribute = (typeof MikrotikAttribute)[keyof typeof MikrotikAttribute];

export const AcctStatusType = {
  Start: 1,
  Stop: 2,
  InterimUpdate: 3,
  AccountingOn: 7,
  AccountingOff: 8,
} as const;
export type AcctStatusType = (typeof AcctStatusType)[keyof typeof AcctStatusType];

export const AcctTerminateCause = {
  UserRequest: 1,
  LostCarrier: 2,
  LostService: 3,
  IdleTimeout: 4,
  SessionTimeout: 5,
  AdminReset: 6,
  AdminReboot: 7,
  PortError: 8,
  NasError: 9,
  NasRequest: 10,
  NasReboot: 11,
  PortUnneeded: 12,
  PortPreempted: 13,
  PortSuspended: 14,
  ServiceUnavailable: 15,
  Callback: 16,
  UserError: 17,
  HostRequest: 18,
} as const;
export type AcctTerminateCause = (typeof AcctTerminateCause)[keyof typeof AcctTerminateCause];

export const ServiceType = {
  Login: 1,
  Framed: 2,
  AuthenticateOnly: 8,
  CallCheck: 10,
} as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

/** RFC 5176 §3.5 Error-Cause values a NAS or our CoA client meets most. */
export const ErrorCause = {
  ResidualSessionContextRemoved: 201,
  UnsupportedAttribute: 401,
  MissingAttribute: 402,
  NasIdentificationMismatch: 403,
  InvalidRequest: 404,
  UnsupportedService: 405,
  InvalidAttributeValue: 407,
  AdministrativelyProhibited: 501,
  SessionContextNotFound: 503,
  ResourcesUnavailable: 506,
} as const;
export type ErrorCause = (typeof ErrorCause)[keyof typeof ErrorCause];
