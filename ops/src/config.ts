// Configuration from KIUNGA_* environment variables, validated once at start.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateMasterKey } from '@kiunga/schemas';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

const environmentSchema = z.object({
  KIUNGA_DATA_DIR: z.string().min(1).default('./data'),
  KIUNGA_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  KIUNGA_HTTP_PORT: port.default(8080),
  KIUNGA_RADIUS_HOST: z.string().min(1).default('0.0.0.0'),
  KIUNGA_RADIUS_AUTH_PORT: port.default(1812),
  KIUNGA_RADIUS_ACCT_PORT: port.default(1813),
  KIUNGA_MASTER_KEY: z.string().min(16).optional(),
  KIUNGA_PUBLIC_URL: z.string().url().optional(),
  KIUNGA_MPESA_BASE_URL: z.string().url().optional(),
  KIUNGA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface KiungaConfig {
  dataDir: string;
  httpHost: string;
  httpPort: number;
  radiusHost: string;
  radiusAuthPort: number;
  radiusAcctPort: number;
  masterKey: string | null;
  publicUrl: string;
  mpesaBaseUrl: string | null;
  logLevel: string;
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
  return {
    dataDir: resolve(overrides.dataDir ?? values.KIUNGA_DATA_DIR),
    httpHost: values.KIUNGA_HTTP_HOST,
    httpPort: values.KIUNGA_HTTP_PORT,
    radiusHost: values.KIUNGA_RADIUS_HOST,
    radiusAuthPort: values.KIUNGA_RADIUS_AUTH_PORT,
    radiusAcctPort: values.KIUNGA_RADIUS_ACCT_PORT,
    masterKey: values.KIUNGA_MASTER_KEY ?? null,
    publicUrl: values.KIUNGA_PUBLIC_URL ?? `http://127.0.0.1:${values.KIUNGA_HTTP_PORT}`,
    mpesaBaseUrl: values.KIUNGA_MPESA_BASE_URL ?? null,
    logLevel: values.KIUNGA_LOG_LEVEL,
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
  mkdirSync(config.dataDir, { recursive: true });
  const key = generateMasterKey();
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
