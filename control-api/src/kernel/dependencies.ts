// What the control API's routes need, passed in once at start (no globals).
import type { AaaControl, Clock, Databases, SecretBox } from '@kiunga/schemas';
import type { Logger } from 'pino';
import type { AccountingConfig } from '../features/accounting-sync/config';
import type { EmailConfig } from '../features/email/config';
import type { Principal } from '../identity/permissions';
import type { TxtLookup } from '../integrations/dns';
import type { PlatformBillingConfig } from '../platform-billing/config';
import type { HealthProbes } from './health';
import type { JobLeases } from './job-lease';
import type { RateLimitBackend } from './rate-limits';

export interface ApiDependencies {
  /** The platform's database and every tenant's (SQLite files, or PostgreSQL schemas). */
  databases: Databases;
  secretBox: SecretBox;
  clock: Clock;
  aaa: AaaControl;
  logger: Logger;
  /** HMAC key for access tokens (HS256), derived from the master key. */
  tokenKey: Uint8Array;
  publicUrl: string;
  /**
   * KIUNGA_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client (identity/client-address.ts);
   * absent or empty: the socket's peer is the client, and X-Forwarded-For is ignored.
   */
  trustedProxies?: ReadonlySet<string>;
  /** KIUNGA_MPESA_BASE_URL: Daraja or its simulator; null when M-Pesa is not configured. */
  mpesaBaseUrl: string | null;
  /** KIUNGA_SMS_BASE_URL: Africa's Talking or its simulator; absent or null: no SMS is sent. */
  smsBaseUrl?: string | null;
  /** Custom-domain TXT lookups (KIUNGA_DNS_SERVER, else the system resolver); absent: the system resolver. */
  txtLookup?: TxtLookup;
  /** KIUNGA_SMTP_URL and the From address; absent or null: email off (password-reset mail is not sent). */
  email?: EmailConfig | null;
  /**
   * The platform's own Africa's Talking account (KIUNGA_PLATFORM_SMS_*), sent through smsBaseUrl: sign-up
   * codes. Absent or null: sign-up codes cannot be sent.
   */
  platformSms?: { username: string; apiKey: string; senderId?: string | undefined } | null;
  /** Called after a payment lands on a subscriber's account (billing reactivates when it covers the debt). */
  onSubscriberPayment?: (tenantId: string, subscriberId: string) => void;
  /**
   * Where routers send RADIUS (for generated RouterOS scripts): KIUNGA_RADIUS_PUBLIC_ADDRESS (IP
   * addresses, the first the primary) and the ports, which default to 1812/1813.
   */
  radius?: { addresses?: readonly string[]; authPort: number; acctPort: number };
  /** How ISPs pay the platform (its own M-Pesa shortcode, PayPal, bank); absent means bank transfer only. */
  platformBilling?: PlatformBillingConfig;
  /** KIUNGA_METRICS_TOKEN: the bearer token GET /metrics requires; absent or null: /metrics answers 404. */
  metricsToken?: string | null;
  /** Scaled mode: job leases on PostgreSQL (one run per round cluster-wide); absent: in this process. */
  jobLeases?: JobLeases;
  /** KIUNGA_REDIS_URL: sign-in and portal limits counted in Redis for every node; absent: in memory. */
  rateLimits?: RateLimitBackend;
  /** KIUNGA_QUICKBOOKS_* / KIUNGA_XERO_*: the platform's accounting app keys; absent or null per vendor: not offered. */
  accounting?: AccountingConfig;
  /** KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true: webhooks may go to loopback/private addresses over http (demo, tests). */
  webhooksAllowPrivate?: boolean;
  /** KIUNGA_GENIEACS_URL (+ username, password): the platform's shared TR-069 ACS; absent: none. */
  sharedGenieAcs?: { url: string; username?: string; password?: string } | null;
  /** What /healthz asks beyond the database; absent: an embedded node running the AAA server too. */
  health?: HealthProbes;
}

/** Hono's typed context variables. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    /** How the principal was established: access token, API key or console cookie session. */
    authMethod: 'token' | 'api_key' | 'cookie';
    /** The cookie session's CSRF token (null for Bearer requests); see identity/console-sessions. */
    csrfToken: string | null;
  };
}
