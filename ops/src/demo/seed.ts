// `kiunga demo --seed-only`: creates the demo platform (two ISPs) and describes it as JSON.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTenantWithOwner,
  markRegistrationPending,
  payUpPlatformAccount,
  writeMpesaSettings,
  writeSmsSettings,
} from '@kiunga/control-api';
import {
  createSecretBox,
  type Databases,
  type DatabasesConfig,
  formatMikrotikRateLimit,
  generateNasSecret,
  generateVoucherCode,
  insertOf,
  newId,
  openDatabases,
  PRIVATE_FILE_MODE,
  platformSchema,
  randomAlphanumeric,
  type SecretBox,
  type SqlDatabase,
  shillingsToCents,
  tenantSchema,
} from '@kiunga/schemas';
import { createSuperAdmin } from '../accounts';
import { type DemoPlanSpec, type DemoTenantSpec, demoSuperAdminEmail, demoTenants } from './demo-data';

export const DEMO_EXTRA_VOUCHERS_DEFAULT = 20;
/** A demo is for looking around; a bigger batch belongs in the benchmark seeders. */
export const DEMO_EXTRA_VOUCHERS_MAX = 100_000;
/** Written by the seed into the data dir: the demo's logins, and the mark of a demo data dir. */
export const DEMO_FILE_NAME = 'demo.json';
const DAY_MS = 86_400_000;

export interface DemoJson {
  superAdmin: { email: string; password: string };
  tenants: DemoTenantJson[];
}

export interface DemoTenantJson {
  id: string;
  slug: string;
  name: string;
  owner: { email: string; password: string };
  nas: Array<{ id: string; ip: string; secret: string }>;
  plans: Array<{ id: string; name: string; kind: string; priceCents: number }>;
  vouchers: Array<{ id: string; code: string; planId: string; deviceLimit: number }>;
  subscribers: Array<{
    id: string;
    username: string;
    password: string;
    planId: string;
    accountNumber: string;
    status: string;
  }>;
  mpesa?: { shortcode: string; consumerKey: string; consumerSecret: string; passkey: string };
  /** The ISP's SMS gateway account; `./kiunga demo` points it at the SMS simulator. */
  sms?: { username: string; apiKey: string; senderId: string };
}

function demoPassword(): string {
  return randomAlphanumeric(12);
}

/** Seeds once; a second run on the same data dir prints what the first one made. */
export async function seedDemo(
  options: DatabasesConfig & { masterKey: string; extraVouchers: number; nowMs: number },
): Promise<DemoJson> {
  const demoFile = join(options.dataDir, DEMO_FILE_NAME);
  if (existsSync(demoFile)) return JSON.parse(readFileSync(demoFile, 'utf8')) as DemoJson;
  const databases = await openDatabases(options);
  const secretBox = createSecretBox(options.masterKey);
  try {
    const superAdmin = { email: demoSuperAdminEmail, password: demoPassword() };
    await createSuperAdmin(databases.platform, superAdmin, options.nowMs);
    const tenants: DemoTenantJson[] = [];
    for (const [index, spec] of demoTenants.entries()) {
      const extra = index === 0 ? options.extraVouchers : 0;
      tenants.push(
        await seedTenant({ databases, secretBox, spec, nowMs: options.nowMs, extraVouchers: extra }),
      );
    }
    // Demo ISPs start in good standing: this month's Kiunga subscription is paid, as a bank transfer
    // by reference would pay it, so the overdue banner appears only for a month really left unpaid.
    const clock = { now: () => options.nowMs };
    for (const tenant of tenants)
      await payUpPlatformAccount({ databases, clock }, tenant.id, `DEMO-${tenant.slug}`);
    const demo: DemoJson = { superAdmin, tenants };
    writeFileSync(demoFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    return demo;
  } finally {
    await databases.close();
  }
}

interface SeedTenantInput {
  databases: Databases;
  secretBox: SecretBox;
  spec: DemoTenantSpec;
  nowMs: number;
  extraVouchers: number;
}

async function seedTenant(input: SeedTenantInput): Promise<DemoTenantJson> {
  const { databases, secretBox, spec, nowMs } = input;
  const owner = { email: spec.ownerEmail, password: demoPassword() };
  // The same path as the platform API's "create an ISP": tenant, owner (password hashed there),
  // built-in roles and the tenant's database.
  const { tenantId } = await createTenantWithOwner(
    { databases, clock: { now: () => nowMs } },
    { name: spec.name, slug: spec.slug, tier: 'tier2', isTrial: false, owner },
  );
  const nasSecret = generateNasSecret();
  const nasId = newId('nas');
  const nas = insertOf(platformSchema.nasDevices, {
    id: nasId,
    tenantId,
    name: spec.nasName,
    ipAddress: spec.nasIp,
    identifier: null,
    secretSealed: secretBox.seal(nasSecret),
    // The demo NAS accepts requests without Message-Authenticator so plain radclient works;
    // a NAS added through the console requires it (BlastRADIUS).
    requireMessageAuthenticator: false,
    coaPort: 3799,
    createdAt: nowMs,
    updatedAt: nowMs,
  });
  await databases.platform.run(nas.sql, nas.params);
  const database = databases.forTenant(tenantId);
  const tenant = await database.transaction((transaction) =>
    seedShard(transaction, secretBox, spec, nowMs, input.extraVouchers),
  );
  return {
    id: tenantId,
    slug: spec.slug,
    name: spec.name,
    owner,
    nas: [{ id: nasId, ip: spec.nasIp, secret: nasSecret }],
    ...tenant,
    ...(spec.hasMpesa ? { mpesa: await seedMpesaSettings(database, secretBox, nowMs) } : {}),
    sms: await seedSmsSettings(database, secretBox, spec, nowMs),
  };
}

/** SMS on, with an account only the demo's SMS simulator knows; reminders land in the simulator. */
async function seedSmsSettings(
  database: SqlDatabase,
  secretBox: SecretBox,
  spec: DemoTenantSpec,
  nowMs: number,
) {
  const sms = {
    username: `demo-${spec.slug}`.slice(0, 100),
    apiKey: randomBytes(24).toString('base64url'),
    senderId:
      spec.slug
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 11)
        .toUpperCase() || 'KIUNGA',
  };
  await writeSmsSettings(secretBox, database, { ...sms, enabled: true }, nowMs);
  return sms;
}

type ShardPart = Pick<DemoTenantJson, 'plans' | 'vouchers' | 'subscribers'>;

async function seedShard(
  database: SqlDatabase,
  secretBox: SecretBox,
  spec: DemoTenantSpec,
  nowMs: number,
  extraVouchers: number,
): Promise<ShardPart> {
  const planIds = new Map<string, string>();
  const planSpecs = new Map<string, DemoPlanSpec>();
  const plans: ShardPart['plans'] = [];
  for (const plan of spec.plans) {
    const id = await insertPlan(database, plan, nowMs);
    planIds.set(plan.key, id);
    planSpecs.set(plan.key, plan);
    plans.push({ id, name: plan.name, kind: plan.kind, priceCents: shillingsToCents(plan.priceShillings) });
  }
  const voucherRuns: Array<[string, number]> = [...spec.vouchers];
  if (spec.extraVoucherPlanKey && extraVouchers > 0)
    voucherRuns.push([spec.extraVoucherPlanKey, extraVouchers]);
  const vouchers: ShardPart['vouchers'] = [];
  for (const [planKey, count] of voucherRuns) {
    const plan = planSpecs.get(planKey)!;
    vouchers.push(...(await insertVouchers(database, planIds.get(planKey)!, plan, count, nowMs)));
  }
  const subscribers: ShardPart['subscribers'] = [];
  for (const [index, subscriber] of spec.subscribers.entries()) {
    const password = demoPassword();
    const accountNumber = `${spec.accountPrefix}${String(index + 1).padStart(4, '0')}`;
    const id = newId('subscriber');
    const plan = planSpecs.get(subscriber.planKey)!;
    const insert = insertOf(tenantSchema.subscribers, {
      id,
      username: subscriber.username,
      passwordSealed: secretBox.seal(password),
      planId: planIds.get(subscriber.planKey)!,
      accountNumber,
      kind: plan.kind === 'static' ? 'static' : 'pppoe',
      status: subscriber.status,
      expiresAt: nowMs + subscriber.expiresInDays * DAY_MS,
      staticIp: subscriber.staticIp ?? null,
      fullName: subscriber.fullName,
      phone: subscriber.phone,
      createdAt: nowMs,
      updatedAt: nowMs,
    });
    await database.run(insert.sql, insert.params);
    subscribers.push({
      id,
      username: subscriber.username,
      password,
      planId: planIds.get(subscriber.planKey)!,
      accountNumber,
      status: subscriber.status,
    });
  }
  return { plans, vouchers, subscribers };
}

async function insertPlan(database: SqlDatabase, plan: DemoPlanSpec, nowMs: number): Promise<string> {
  const id = newId('plan');
  const insert = insertOf(tenantSchema.plans, {
    id,
    name: plan.name,
    kind: plan.kind,
    priceCents: shillingsToCents(plan.priceShillings),
    validitySeconds: plan.validitySeconds,
    billingCycleMonths: plan.kind === 'hotspot' ? null : 1,
    rateUpKbps: plan.rateUpKbps,
    rateDownKbps: plan.rateDownKbps,
    burstUpKbps: plan.burst?.upKbps ?? null,
    burstDownKbps: plan.burst?.downKbps ?? null,
    burstThresholdUpKbps: plan.burst?.thresholdUpKbps ?? null,
    burstThresholdDownKbps: plan.burst?.thresholdDownKbps ?? null,
    burstTimeSeconds: plan.burst?.timeSeconds ?? null,
    deviceLimit: plan.deviceLimit,
    createdAt: nowMs,
    updatedAt: nowMs,
  });
  await database.run(insert.sql, insert.params);
  return id;
}

async function insertVouchers(
  database: SqlDatabase,
  planId: string,
  plan: DemoPlanSpec,
  count: number,
  nowMs: number,
): Promise<ShardPart['vouchers']> {
  const batchId = newId('voucherBatch');
  const batch = insertOf(tenantSchema.voucherBatches, { id: batchId, planId, count, createdAt: nowMs });
  await database.run(batch.sql, batch.params);
  const rateLimit = formatMikrotikRateLimit({ upKbps: plan.rateUpKbps, downKbps: plan.rateDownKbps });
  const made: ShardPart['vouchers'] = [];
  while (made.length < count) {
    const id = newId('voucher');
    const code = generateVoucherCode();
    const result = await database.run(
      `INSERT INTO vouchers (id, code, plan_id, batch_id, price_cents, validity_seconds, device_limit,
                             rate_limit, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unused', ?) ON CONFLICT (code) DO NOTHING`,
      [
        id,
        code,
        planId,
        batchId,
        shillingsToCents(plan.priceShillings),
        plan.validitySeconds ?? 0,
        plan.deviceLimit,
        rateLimit,
        nowMs,
      ],
    );
    // A code collision (rare at 31^8) is simply drawn again.
    if (result.changes === 1) made.push({ id, code, planId, deviceLimit: plan.deviceLimit });
  }
  return made;
}

/** Daraja's public sandbox shortcode and passkey: the demo talks only to the simulator. */
const SANDBOX_SHORTCODE = '174379';
const SANDBOX_PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';

async function seedMpesaSettings(database: SqlDatabase, secretBox: SecretBox, nowMs: number) {
  const mpesa = {
    shortcode: SANDBOX_SHORTCODE,
    consumerKey: randomBytes(12).toString('base64url'),
    consumerSecret: randomBytes(12).toString('base64url'),
    passkey: SANDBOX_PASSKEY,
  };
  await writeMpesaSettings(
    secretBox,
    database,
    { ...mpesa, transactionType: 'CustomerPayBillOnline', c2bApiVersion: 'v2' },
    nowMs,
  );
  // Registered with Daraja on the first `kiunga start` (retried while pending).
  await markRegistrationPending(database, nowMs);
  return mpesa;
}
