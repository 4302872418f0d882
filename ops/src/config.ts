// Configuration from KIUNGA_* environment variables, validated once at start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type {
  AccountingConfig,
  AccountingVendorConfig,
  EmailConfig,
  PlatformBillingConfig,
} from '@kiunga/control-api';
import { normalizeAddress, readEmailConfig } from '@kiunga/control-api';
import { dnsServerAddressSchema } from '@kiunga/control-api/integrations/dns';
import { QUICKBOOKS_API_BASE_URL_DEFAULT } from '@kiunga/control-api/integrations/quickbooks';
import { XERO_API_BASE_URL_DEFAULT } from '@kiunga/control-api/integrations/xero';
import {
  generateMasterKey,
  makePrivateDirectory,
  PRIVATE_FILE_MODE,
  radiusServerAddressesSchema,
} from '@kiunga/schemas';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
/**
 * A scraper's bearer token must not be guessable over HTTP: 32 characters is 128 bits when hex
 * (`openssl rand -hex 32` gives 64). Characters as RFC 6750 §2.1's b64token allows in the header.
 */
export const METRICS_TOKEN_LENGTH_MIN = 32;
const metricsToken = z
  .string()
  .min(
    METRICS_TOKEN_LENGTH_MIN,
    `at least ${METRICS_TOKEN_LENGTH_MIN} characters (e.g. openssl rand -hex 32)`,
  )
  .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'letters, digits and - . _ ~ + / only (a bearer token)');

/** A week of daily backups by default; at least one is always kept; a year of dailies at most. */
export const BACKUP_KEEP_DEFAULT = 7;
const BACKUP_KEEP_MIN = 1;
const BACKUP_KEEP_MAX = 366;
/** PostgreSQL's connection URI schemes (PostgreSQL 15 manual, 34.1.1.2 "Connection URIs"). */
const POSTGRES_URL_SCHEMES = ['postgres:', 'postgresql:'];
/** Redis URLs as ioredis takes them: redis:// plain, rediss:// over TLS. */
const REDIS_URL_SCHEMES = ['redis:', 'rediss:'];

const environmentSchema = z.object({
  KIUNGA_DATA_DIR: z.string().min(1).default('./data'),
  KIUNGA_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  KIUNGA_HTTP_PORT: port.default(8080),
  KIUNGA_RADIUS_HOST: z.string().min(1).default('0.0.0.0'),
  KIUNGA_RADIUS_AUTH_PORT: port.default(1812),
  KIUNGA_RADIUS_ACCT_PORT: port.default(1813),
  KIUNGA_MASTER_KEY: z.string().min(16).optional(),
  /** Scaled mode: the platform and every tenant in this PostgreSQL database; unset = SQLite files. */
  KIUNGA_DATABASE_URL: z
    .string()
    .refine(
      (url) => URL.canParse(url) && POSTGRES_URL_SCHEMES.includes(new URL(url).protocol),
      'a postgres:// (or postgresql://) URL',
    )
    .optional(),
  /** Scaled mode: limits (and later the live session table) shared by every node; unset = in memory. */
  KIUNGA_REDIS_URL: z
    .string()
    .refine(
      (url) => URL.canParse(url) && REDIS_URL_SCHEMES.includes(new URL(url).protocol),
      'a redis:// (or rediss://) URL',
    )
    .optional(),
  KIUNGA_PUBLIC_URL: z.string().url().optional(),
  /**
   * The IP address(es) routers send RADIUS to, comma-separated, the first the primary (one per AAA
   * node); goes into the generated RouterOS script, whose /radius address= takes only IPs.
   */
  KIUNGA_RADIUS_PUBLIC_ADDRESS: radiusServerAddressesSchema.optional(),
  KIUNGA_MPESA_BASE_URL: z.string().url().optional(),
  /** Africa's Talking (https://api.africastalking.com) or its simulator; unset: no SMS is sent. */
  KIUNGA_SMS_BASE_URL: z.string().url().optional(),
  /** The DNS server custom-domain TXT lookups go to, `host:port` (an IP); unset: the system resolver. */
  KIUNGA_DNS_SERVER: dnsServerAddressSchema.optional(),
  /** The platform's own Africa's Talking account (sign-up codes), through KIUNGA_SMS_BASE_URL; both or neither. */
  KIUNGA_PLATFORM_SMS_USERNAME: z.string().min(1).optional(),
  KIUNGA_PLATFORM_SMS_API_KEY: z.string().min(1).optional(),
  KIUNGA_PLATFORM_SMS_SENDER_ID: z.string().min(1).max(11).optional(),
  /** smtp://user:password@host:587 (STARTTLS) or smtps://…:465; unset: no email is sent. */
  KIUNGA_SMTP_URL: z.string().min(1).optional(),
  /** The From header of Kiunga's mail, e.g. `"Kiunga" <no-reply@kiunga.example>`. */
  KIUNGA_SMTP_FROM: z.string().min(3).max(320).optional(),
  // Platform billing of ISPs: the platform's own M-Pesa shortcode (all four or none), PayPal and bank.
  KIUNGA_PLATFORM_MPESA_SHORTCODE: z
    .string()
    .regex(/^\d{5,9}$/)
    .optional(),
  KIUNGA_PLATFORM_MPESA_PASSKEY: z.string().min(1).optional(),
  KIUNGA_PLATFORM_MPESA_CONSUMER_KEY: z.string().min(1).optional(),
  KIUNGA_PLATFORM_MPESA_CONSUMER_SECRET: z.string().min(1).optional(),
  KIUNGA_PAYPAL_BASE_URL: z.string().url().optional(),
  KIUNGA_PAYPAL_CLIENT_ID: z.string().min(1).optional(),
  KIUNGA_PAYPAL_CLIENT_SECRET: z.string().min(1).optional(),
  /** Fixed Ksh per USD for PayPal (PayPal does not take KES), e.g. "129.00". */
  KIUNGA_PAYPAL_KES_PER_USD: z
    .string()
    .regex(/^\d{2,4}(\.\d{1,2})?$/, 'Ksh per USD like 129.00')
    .default('129.00'),
  KIUNGA_PLATFORM_BANK_INSTRUCTIONS: z.string().min(1).max(500).optional(),
  // Accounting software (issue 14): the platform's app keys with Intuit and Xero (both of a pair, or none).
  KIUNGA_QUICKBOOKS_CLIENT_ID: z.string().min(1).optional(),
  KIUNGA_QUICKBOOKS_CLIENT_SECRET: z.string().min(1).optional(),
  KIUNGA_QUICKBOOKS_BASE_URL: z.string().url().default(QUICKBOOKS_API_BASE_URL_DEFAULT),
  KIUNGA_QUICKBOOKS_AUTH_URL: z.string().url().optional(),
  KIUNGA_QUICKBOOKS_TOKEN_URL: z.string().url().optional(),
  KIUNGA_XERO_CLIENT_ID: z.string().min(1).optional(),
  KIUNGA_XERO_CLIENT_SECRET: z.string().min(1).optional(),
  KIUNGA_XERO_BASE_URL: z.string().url().default(XERO_API_BASE_URL_DEFAULT),
  KIUNGA_XERO_AUTH_URL: z.string().url().optional(),
  KIUNGA_XERO_TOKEN_URL: z.string().url().optional(),
  /** Bearer token for GET /metrics; unset: /metrics answers 404. */
  KIUNGA_METRICS_TOKEN: metricsToken.optional(),
  /** Demo and tests only: webhooks may go to loopback and private addresses, over plain http too. */
  KIUNGA_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  /** The platform's shared GenieACS (its NBI, e.g. http://acs:7557); ISPs without their own ACS use it. */
  KIUNGA_GENIEACS_URL: z.string().url().optional(),
  KIUNGA_GENIEACS_USERNAME: z.string().min(1).optional(),
  KIUNGA_GENIEACS_PASSWORD: z.string().min(1).optional(),
  KIUNGA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the daily backup job writes (a folder on another disk or mount); unset: no scheduled backups. */
  KIUNGA_BACKUP_DIR: z.string().min(1).optional(),
  /** Finished backups the daily job keeps (the newest verified one is never deleted whatever this says). */
  KIUNGA_BACKUP_KEEP: z.coerce
    .number()
    .int()
    .min(BACKUP_KEEP_MIN)
    .max(BACKUP_KEEP_MAX)
    .default(BACKUP_KEEP_DEFAULT),
  /** Comma-separated IP addresses of the reverse proxies in front of the HTTP port (X-Forwarded-For). */
  KIUNGA_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .refine(
      (addresses) => addresses.every((address) => isIP(address) !== 0),
      'IP addresses, comma-separated',
    ),
});

export interface KiungaConfig {
  dataDir: string;
  httpHost: string;
  httpPort: number;
  radiusHost: string;
  radiusAuthPort: number;
  radiusAcctPort: number;
  masterKey: string | null;
  /** KIUNGA_DATABASE_URL: PostgreSQL (scaled mode); null = embedded SQLite files under dataDir. */
  databaseUrl: string | null;
  /** KIUNGA_REDIS_URL: shared counters and the AAA session table across nodes; null = in memory, per process. */
  redisUrl: string | null;
  publicUrl: string;
  /** KIUNGA_RADIUS_PUBLIC_ADDRESS: empty when unset (the console asks, or the public URL's IP is used). */
  radiusPublicAddresses: readonly string[];
  mpesaBaseUrl: string | null;
  smsBaseUrl: string | null;
  /** KIUNGA_DNS_SERVER: where custom-domain TXT lookups go; null = the system resolver. */
  dnsServer: string | null;
  /** KIUNGA_PLATFORM_SMS_*: the platform's own SMS account (sign-up codes); null = codes are not sent. */
  platformSms: { username: string; apiKey: string; senderId?: string | undefined } | null;
  /** KIUNGA_SMTP_URL and KIUNGA_SMTP_FROM (checked at start); null = email off. */
  email: EmailConfig | null;
  logLevel: string;
  platformBilling: PlatformBillingConfig;
  /** Normalized (normalizeAddress), so an IPv4 proxy matches its dual-stack form. */
  trustedProxies: ReadonlySet<string>;
  metricsToken: string | null;
  /** KIUNGA_QUICKBOOKS_* / KIUNGA_XERO_*: null per vendor when its keys are not set (not offered to ISPs). */
  accounting: AccountingConfig;
  /** KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true (demo, tests). */
  webhooksAllowPrivate: boolean;
  /** KIUNGA_GENIEACS_URL (+ username, password): the platform's shared ACS; null = none. */
  sharedGenieAcs: { url: string; username?: string; password?: string } | null;
  /** KIUNGA_BACKUP_DIR, resolved; null = the backup job does not run. */
  backupDir: string | null;
  /** KIUNGA_BACKUP_KEEP: finished backups the job keeps. */
  backupKeep: number;
}

export class ConfigError extends Error {}

export function readConfig(
  environment: NodeJS.ProcessEnv,
  overrides: { dataDir?: string } = {},
): KiungaConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const values = parsed.data;
  const publicUrl = values.KIUNGA_PUBLIC_URL ?? `http://127.0.0.1:${values.KIUNGA_HTTP_PORT}`;
  return {
    dataDir: resolve(overrides.dataDir ?? values.KIUNGA_DATA_DIR),
    httpHost: values.KIUNGA_HTTP_HOST,
    httpPort: values.KIUNGA_HTTP_PORT,
    radiusHost: values.KIUNGA_RADIUS_HOST,
    radiusAuthPort: values.KIUNGA_RADIUS_AUTH_PORT,
    radiusAcctPort: values.KIUNGA_RADIUS_ACCT_PORT,
    masterKey: values.KIUNGA_MASTER_KEY ?? null,
    databaseUrl: values.KIUNGA_DATABASE_URL ?? null,
    redisUrl: values.KIUNGA_REDIS_URL ?? null,
    publicUrl,
    radiusPublicAddresses: values.KIUNGA_RADIUS_PUBLIC_ADDRESS ?? [],
    mpesaBaseUrl: values.KIUNGA_MPESA_BASE_URL ?? null,
    smsBaseUrl: values.KIUNGA_SMS_BASE_URL ?? null,
    dnsServer: values.KIUNGA_DNS_SERVER ?? null,
    platformSms: platformSmsConfig(values),
    email: emailConfig(values.KIUNGA_SMTP_URL, values.KIUNGA_SMTP_FROM, publicUrl),
    logLevel: values.KIUNGA_LOG_LEVEL,
    platformBilling: platformBillingConfig(values),
    accounting: {
      quickbooks: accountingVendorConfig('QUICKBOOKS', {
        clientId: values.KIUNGA_QUICKBOOKS_CLIENT_ID,
        clientSecret: values.KIUNGA_QUICKBOOKS_CLIENT_SECRET,
        baseUrl: values.KIUNGA_QUICKBOOKS_BASE_URL,
        authorizeUrl: values.KIUNGA_QUICKBOOKS_AUTH_URL,
        tokenUrl: values.KIUNGA_QUICKBOOKS_TOKEN_URL,
      }),
      xero: accountingVendorConfig('XERO', {
        clientId: values.KIUNGA_XERO_CLIENT_ID,
        clientSecret: values.KIUNGA_XERO_CLIENT_SECRET,
        baseUrl: values.KIUNGA_XERO_BASE_URL,
        authorizeUrl: values.KIUNGA_XERO_AUTH_URL,
        tokenUrl: values.KIUNGA_XERO_TOKEN_URL,
      }),
    },
    trustedProxies: new Set(values.KIUNGA_TRUSTED_PROXIES.map(normalizeAddress)),
    metricsToken: values.KIUNGA_METRICS_TOKEN ?? null,
    webhooksAllowPrivate: values.KIUNGA_WEBHOOKS_ALLOW_PRIVATE === 'true',
    sharedGenieAcs: values.KIUNGA_GENIEACS_URL
      ? {
          url: values.KIUNGA_GENIEACS_URL,
          ...(values.KIUNGA_GENIEACS_USERNAME ? { username: values.KIUNGA_GENIEACS_USERNAME } : {}),
          ...(values.KIUNGA_GENIEACS_PASSWORD ? { password: values.KIUNGA_GENIEACS_PASSWORD } : {}),
        }
      : null,
    backupDir: values.KIUNGA_BACKUP_DIR ? resolve(values.KIUNGA_BACKUP_DIR) : null,
    backupKeep: values.KIUNGA_BACKUP_KEEP,
  };
}

/** A vendor is offered when both its client id and secret are set; one without the other is a mistake. */
function accountingVendorConfig(
  name: 'QUICKBOOKS' | 'XERO',
  values: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    baseUrl: string;
    authorizeUrl: string | undefined;
    tokenUrl: string | undefined;
  },
): AccountingVendorConfig | null {
  if (values.clientId === undefined && values.clientSecret === undefined) return null;
  if (values.clientId === undefined || values.clientSecret === undefined)
    throw new ConfigError(
      `invalid configuration: set both KIUNGA_${name}_CLIENT_ID and KIUNGA_${name}_CLIENT_SECRET, or neither`,
    );
  return { ...values, clientId: values.clientId, clientSecret: values.clientSecret };
}

function platformSmsConfig(values: z.infer<typeof environmentSchema>): KiungaConfig['platformSms'] {
  const username = values.KIUNGA_PLATFORM_SMS_USERNAME;
  const apiKey = values.KIUNGA_PLATFORM_SMS_API_KEY;
  if ((username === undefined) !== (apiKey === undefined))
    throw new ConfigError(
      'invalid configuration: set KIUNGA_PLATFORM_SMS_USERNAME and _API_KEY together, or neither',
    );
  if (username === undefined || apiKey === undefined) return null;
  return { username, apiKey, senderId: values.KIUNGA_PLATFORM_SMS_SENDER_ID };
}

/** The SMTP URL's problem, said without its password (EmailError messages never carry it). */
function emailConfig(
  smtpUrl: string | undefined,
  from: string | undefined,
  publicUrl: string,
): EmailConfig | null {
  try {
    return readEmailConfig(smtpUrl, from, publicUrl);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
}

const DEFAULT_BANK_INSTRUCTIONS =
  'Pay by bank transfer to Kiunga Ltd and quote your reference exactly; the platform team matches it within one working day.';

function platformBillingConfig(values: z.infer<typeof environmentSchema>): PlatformBillingConfig {
  const mpesaValues = [
    values.KIUNGA_PLATFORM_MPESA_SHORTCODE,
    values.KIUNGA_PLATFORM_MPESA_PASSKEY,
    values.KIUNGA_PLATFORM_MPESA_CONSUMER_KEY,
    values.KIUNGA_PLATFORM_MPESA_CONSUMER_SECRET,
  ];
  const mpesaCount = mpesaValues.filter((value) => value !== undefined).length;
  if (mpesaCount !== 0 && mpesaCount !== mpesaValues.length)
    throw new ConfigError('invalid configuration: set all four KIUNGA_PLATFORM_MPESA_* variables, or none');
  const paypalValues = [
    values.KIUNGA_PAYPAL_BASE_URL,
    values.KIUNGA_PAYPAL_CLIENT_ID,
    values.KIUNGA_PAYPAL_CLIENT_SECRET,
  ];
  const paypalCount = paypalValues.filter((value) => value !== undefined).length;
  if (paypalCount !== 0 && paypalCount !== paypalValues.length)
    throw new ConfigError(
      'invalid configuration: set KIUNGA_PAYPAL_BASE_URL, _CLIENT_ID and _CLIENT_SECRET together',
    );
  const [shillings = '0', fraction = ''] = values.KIUNGA_PAYPAL_KES_PER_USD.split('.');
  return {
    mpesa:
      mpesaCount === 0
        ? null
        : {
            shortcode: values.KIUNGA_PLATFORM_MPESA_SHORTCODE ?? '',
            passkey: values.KIUNGA_PLATFORM_MPESA_PASSKEY ?? '',
            consumerKey: values.KIUNGA_PLATFORM_MPESA_CONSUMER_KEY ?? '',
            consumerSecret: values.KIUNGA_PLATFORM_MPESA_CONSUMER_SECRET ?? '',
          },
    paypal:
      paypalCount === 0
        ? null
        : {
            baseUrl: values.KIUNGA_PAYPAL_BASE_URL ?? '',
            clientId: values.KIUNGA_PAYPAL_CLIENT_ID ?? '',
            clientSecret: values.KIUNGA_PAYPAL_CLIENT_SECRET ?? '',
            kesCentsPerUsd:
              Number.parseInt(shillings, 10) * 100 + Number.parseInt(fraction.padEnd(2, '0'), 10),
          },
    bankInstructions: values.KIUNGA_PLATFORM_BANK_INSTRUCTIONS ?? DEFAULT_BANK_INSTRUCTIONS,
  };
}

const MASTER_KEY_FILE = 'master.key';

/**
 * The master key comes from KIUNGA_MASTER_KEY, else from <data dir>/master.key. `migrate` and
 * `demo` create that file on a fresh data dir; `start` refuses to run without a key.
 */
export function resolveMasterKey(config: KiungaConfig, options: { createIfMissing: boolean }): string {
  if (config.masterKey) return config.masterKey;
  const path = join(config.dataDir, MASTER_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  if (!options.createIfMissing) {
    throw new ConfigError(
      `no master key: set KIUNGA_MASTER_KEY or run 'kiunga migrate' to create ${path} (keep it safe and backed up)`,
    );
  }
  makePrivateDirectory(config.dataDir);
  const key = generateMasterKey();
  writeFileSync(path, `${key}\n`, { mode: PRIVATE_FILE_MODE });
  return key;
}
