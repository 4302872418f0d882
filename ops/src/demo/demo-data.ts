// The demo platform's two ISPs, described as data so the seed code stays generic.
import type { PlanKind } from '@kiunga/schemas';

export interface DemoPlanSpec {
  key: string;
  name: string;
  kind: PlanKind;
  priceShillings: number;
  validitySeconds: number | null;
  rateUpKbps: number;
  rateDownKbps: number;
  deviceLimit: number;
  burst?: {
    upKbps: number;
    downKbps: number;
    thresholdUpKbps: number;
    thresholdDownKbps: number;
    timeSeconds: number;
  };
}

export interface DemoSubscriberSpec {
  username: string;
  planKey: string;
  status: 'active' | 'expired' | 'suspended';
  /** Days from now the account runs until (negative: already past). */
  expiresInDays: number;
  staticIp?: string;
  fullName: string;
  phone: string;
}

export interface DemoTenantSpec {
  slug: string;
  name: string;
  nasIp: string;
  nasName: string;
  accountPrefix: string;
  ownerEmail: string;
  plans: DemoPlanSpec[];
  /** Vouchers always made: [planKey, count]. Device limits come from the plan. */
  vouchers: Array<[string, number]>;
  /** Plan of the N extra vouchers asked for with --vouchers (first ISP only). */
  extraVoucherPlanKey: string | null;
  subscribers: DemoSubscriberSpec[];
  hasMpesa: boolean;
}

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;

export const demoSuperAdminEmail = 'admin@kiunga.demo';

export const demoTenants: DemoTenantSpec[] = [
  {
    slug: 'kilimani-net',
    name: 'Kilimani Net',
    nasIp: '127.0.0.1',
    nasName: 'Kilimani hotspot router',
    accountPrefix: 'KLM',
    ownerEmail: 'owner@kilimani.demo',
    plans: [
      {
        key: 'hour',
        name: '1 Hour',
        kind: 'hotspot',
        priceShillings: 10,
        validitySeconds: HOUR_SECONDS,
        rateUpKbps: 1024,
        rateDownKbps: 2048,
        deviceLimit: 1,
      },
      {
        key: 'day',
        name: '24 Hours',
        kind: 'hotspot',
        priceShillings: 50,
        validitySeconds: DAY_SECONDS,
        rateUpKbps: 2048,
        rateDownKbps: 4096,
        deviceLimit: 2,
      },
      {
        key: 'week',
        name: '7 Days',
        kind: 'hotspot',
        priceShillings: 300,
        validitySeconds: 7 * DAY_SECONDS,
        rateUpKbps: 2048,
        rateDownKbps: 5120,
        deviceLimit: 2,
      },
      {
        key: 'home5',
        name: 'Home 5 Mbps',
        kind: 'pppoe',
        priceShillings: 1_500,
        validitySeconds: null,
        rateUpKbps: 2048,
        rateDownKbps: 5120,
        deviceLimit: 1,
        burst: {
          upKbps: 4096,
          downKbps: 10_240,
          thresholdUpKbps: 1536,
          thresholdDownKbps: 4096,
          timeSeconds: 16,
        },
      },
      {
        key: 'home10',
        name: 'Home 10 Mbps',
        kind: 'pppoe',
        priceShillings: 2_500,
        validitySeconds: null,
        rateUpKbps: 5120,
        rateDownKbps: 10_240,
        deviceLimit: 1,
      },
      {
        key: 'biz20',
        name: 'Business Static 20 Mbps',
        kind: 'static',
        priceShillings: 6_000,
        validitySeconds: null,
        rateUpKbps: 10_240,
        rateDownKbps: 20_480,
        deviceLimit: 1,
      },
    ],
    vouchers: [
      ['hour', 2],
      ['day', 2],
    ],
    extraVoucherPlanKey: 'day',
    subscribers: [
      {
        username: 'wanjiku',
        planKey: 'home5',
        status: 'active',
        expiresInDays: 20,
        fullName: 'Wanjiku Kamau',
        phone: '0712345678',
      },
      {
        username: 'otieno',
        planKey: 'home10',
        status: 'active',
        expiresInDays: 5,
        fullName: 'Otieno Odhiambo',
        phone: '0722000111',
      },
      {
        username: 'mutua',
        planKey: 'home5',
        status: 'expired',
        expiresInDays: -3,
        fullName: 'Mutua Musyoka',
        phone: '0733000222',
      },
      {
        username: 'akinyi',
        planKey: 'home10',
        status: 'suspended',
        expiresInDays: 12,
        fullName: 'Akinyi Achieng',
        phone: '0110000333',
      },
      {
        username: 'duka-la-mama',
        planKey: 'biz20',
        status: 'active',
        expiresInDays: 25,
        staticIp: '10.20.0.10',
        fullName: 'Duka la Mama Ltd',
        phone: '0799000444',
      },
    ],
    hasMpesa: true,
  },
  {
    slug: 'pwani-fiber',
    name: 'Pwani Fiber',
    nasIp: '127.0.0.2',
    nasName: 'Pwani core router',
    accountPrefix: 'PWN',
    ownerEmail: 'owner@pwani.demo',
    plans: [
      {
        key: 'hour2',
        name: '2 Hours',
        kind: 'hotspot',
        priceShillings: 20,
        validitySeconds: 2 * HOUR_SECONDS,
        rateUpKbps: 1024,
        rateDownKbps: 3072,
        deviceLimit: 1,
      },
      {
        key: 'day',
        name: 'Daily',
        kind: 'hotspot',
        priceShillings: 40,
        validitySeconds: DAY_SECONDS,
        rateUpKbps: 2048,
        rateDownKbps: 4096,
        deviceLimit: 2,
      },
      {
        key: 'fiber8',
        name: 'Fiber 8 Mbps',
        kind: 'pppoe',
        priceShillings: 2_000,
        validitySeconds: null,
        rateUpKbps: 4096,
        rateDownKbps: 8192,
        deviceLimit: 1,
      },
    ],
    vouchers: [
      ['hour2', 2],
      ['day', 2],
    ],
    extraVoucherPlanKey: null,
    subscribers: [
      {
        username: 'bakari',
        planKey: 'fiber8',
        status: 'active',
        expiresInDays: 15,
        fullName: 'Bakari Salim',
        phone: '0700111222',
      },
      {
        username: 'zawadi',
        planKey: 'fiber8',
        status: 'expired',
        expiresInDays: -10,
        fullName: 'Zawadi Mwinyi',
        phone: '0700333444',
      },
      {
        username: 'hamisi',
        planKey: 'fiber8',
        status: 'suspended',
        expiresInDays: 8,
        fullName: 'Hamisi Juma',
        phone: '0700555666',
      },
    ],
    hasMpesa: false,
  },
];
