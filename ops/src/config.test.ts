// Configuration: KIUNGA_RADIUS_PUBLIC_ADDRESS, KIUNGA_TRUSTED_PROXIES, KIUNGA_DATABASE_URL, KIUNGA_REDIS_URL,
// KIUNGA_METRICS_TOKEN, KIUNGA_SMTP_URL and start's --role are validated at start.
import { describe, expect, it } from 'vitest';
import { assertRoleFits, parseNodeRole } from './cli/node-roles';
import { ConfigError, METRICS_TOKEN_LENGTH_MIN, readConfig } from './config';

describe('KIUNGA_RADIUS_PUBLIC_ADDRESS', () => {
  it('reads one or more comma-separated IPv4 and IPv6 addresses, in order', () => {
    expect(readConfig({}).radiusPublicAddresses).toEqual([]);
    expect(readConfig({ KIUNGA_RADIUS_PUBLIC_ADDRESS: '203.0.113.10' }).radiusPublicAddresses).toEqual([
      '203.0.113.10',
    ]);
    expect(
      readConfig({ KIUNGA_RADIUS_PUBLIC_ADDRESS: ' 203.0.113.11, 2001:db8::10 ,203.0.113.10' })
        .radiusPublicAddresses,
    ).toEqual(['203.0.113.11', '2001:db8::10', '203.0.113.10']);
  });

  it('refuses a host name at start, saying RouterOS takes only IP addresses there', () => {
    const read = () => readConfig({ KIUNGA_RADIUS_PUBLIC_ADDRESS: '203.0.113.10,radius.example.co.ke' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      /KIUNGA_RADIUS_PUBLIC_ADDRESS: 'radius\.example\.co\.ke' is not an IP address: RouterOS's \/radius address= takes only IPv4 or IPv6 addresses/,
    );
    expect(() => readConfig({ KIUNGA_RADIUS_PUBLIC_ADDRESS: '300.1.2.3' })).toThrow(
      /'300\.1\.2\.3' is not an IP/,
    );
  });

  it('refuses more addresses than routers can usefully fail over between', () => {
    expect(() =>
      readConfig({ KIUNGA_RADIUS_PUBLIC_ADDRESS: '10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5' }),
    ).toThrow(/give 1 to 4 IP addresses/);
  });
});

describe('KIUNGA_SMTP_URL', () => {
  it('is off when unset, and takes a From or derives it from the public URL', () => {
    expect(readConfig({}).email).toBeNull();
    expect(
      readConfig({
        KIUNGA_SMTP_URL: 'smtp://mailer:s3cret@mail.example.co.ke:587',
        KIUNGA_PUBLIC_URL: 'https://kiunga.example.co.ke',
      }).email,
    ).toEqual({
      smtpUrl: 'smtp://mailer:s3cret@mail.example.co.ke:587',
      from: '"Kiunga" <no-reply@kiunga.example.co.ke>',
    });
    expect(
      readConfig({ KIUNGA_SMTP_URL: 'smtps://mail.example.co.ke', KIUNGA_SMTP_FROM: 'ISP <a@b.example>' })
        .email?.from,
    ).toBe('ISP <a@b.example>');
  });

  it('refuses another scheme at start, without repeating the password', () => {
    const read = () => readConfig({ KIUNGA_SMTP_URL: 'http://mailer:s3cret@mail.example.co.ke' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/KIUNGA_SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    expect(read).not.toThrow(/s3cret/);
  });
});

describe('KIUNGA_PLATFORM_SMS_*', () => {
  it('takes the username and key together (the account of sign-up codes), or neither', () => {
    expect(readConfig({}).platformSms).toBeNull();
    expect(
      readConfig({ KIUNGA_PLATFORM_SMS_USERNAME: 'kiunga', KIUNGA_PLATFORM_SMS_API_KEY: 'atsk_key' })
        .platformSms,
    ).toEqual({ username: 'kiunga', apiKey: 'atsk_key', senderId: undefined });
    expect(() => readConfig({ KIUNGA_PLATFORM_SMS_USERNAME: 'kiunga' })).toThrow(
      /KIUNGA_PLATFORM_SMS_USERNAME and _API_KEY together/,
    );
  });
});

describe('KIUNGA_TRUSTED_PROXIES', () => {
  it('is empty by default: X-Forwarded-For is trusted from nobody', () => {
    expect([...readConfig({}).trustedProxies]).toEqual([]);
  });

  it('takes comma-separated IPv4 and IPv6 addresses', () => {
    const config = readConfig({ KIUNGA_TRUSTED_PROXIES: '127.0.0.1, ::FFFF:10.0.0.2,2001:db8::1' });
    expect([...config.trustedProxies]).toEqual(['127.0.0.1', '10.0.0.2', '2001:db8::1']);
  });

  it('refuses anything that is not an IP address', () => {
    expect(() => readConfig({ KIUNGA_TRUSTED_PROXIES: '10.0.0.0/8' })).toThrow(ConfigError);
    expect(() => readConfig({ KIUNGA_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/KIUNGA_TRUSTED_PROXIES/);
  });
});

describe('KIUNGA_DATABASE_URL', () => {
  it('is unset by default: the platform and tenants live in SQLite files under the data dir', () => {
    expect(readConfig({}).databaseUrl).toBeNull();
  });

  it('takes a postgres:// or postgresql:// URL', () => {
    for (const url of ['postgres://kiunga:secret@10.0.0.5:5432/kiunga', 'postgresql://db.internal/kiunga']) {
      expect(readConfig({ KIUNGA_DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('refuses anything else at start, saying what it needs', () => {
    for (const url of ['mysql://db/kiunga', 'not a url', './data/platform.db']) {
      expect(() => readConfig({ KIUNGA_DATABASE_URL: url })).toThrow(/KIUNGA_DATABASE_URL/);
    }
    expect(() => readConfig({ KIUNGA_DATABASE_URL: 'mysql://db/kiunga' })).toThrow(/postgres:\/\//);
  });
});

describe('KIUNGA_REDIS_URL', () => {
  it('is unset by default (limits counted in memory) and takes redis:// or rediss://', () => {
    expect(readConfig({}).redisUrl).toBeNull();
    for (const url of ['redis://10.0.0.6:6379', 'rediss://:secret@cache.internal:6380/2']) {
      expect(readConfig({ KIUNGA_REDIS_URL: url }).redisUrl).toBe(url);
    }
  });

  it('refuses anything else at start, saying what it needs', () => {
    for (const url of ['http://10.0.0.6:6379', 'not a url', '10.0.0.6:6379']) {
      expect(() => readConfig({ KIUNGA_REDIS_URL: url })).toThrow(
        /KIUNGA_REDIS_URL: a redis:\/\/ \(or rediss:\/\/\) URL/,
      );
    }
  });
});

describe('--role', () => {
  const embedded = readConfig({});
  const scaled = readConfig({ KIUNGA_DATABASE_URL: 'postgres://db.internal/kiunga' });

  it('is all unless given, and one of all, aaa, api', () => {
    expect(parseNodeRole(undefined)).toBe('all');
    expect(parseNodeRole('api')).toBe('api');
    expect(() => parseNodeRole('database')).toThrow("--role must be one of all, aaa, api, not 'database'");
  });

  it('runs all anywhere, and api or aaa only on PostgreSQL', () => {
    expect(() => assertRoleFits('all', embedded)).not.toThrow();
    expect(() => assertRoleFits('api', scaled)).not.toThrow();
    expect(() => assertRoleFits('api', embedded)).toThrow(/needs KIUNGA_DATABASE_URL/);
    expect(() => assertRoleFits('aaa', embedded)).toThrow(
      /one SQLite data dir is not a supported scaled setup/,
    );
    expect(() => assertRoleFits('aaa', scaled)).not.toThrow();
  });
});

describe('KIUNGA_METRICS_TOKEN', () => {
  it('is off (null) when unset, and taken as given when long enough', () => {
    expect(readConfig({}).metricsToken).toBeNull();
    const token = 'a'.repeat(METRICS_TOKEN_LENGTH_MIN);
    expect(readConfig({ KIUNGA_METRICS_TOKEN: token }).metricsToken).toBe(token);
  });

  it('refuses a short token or one that cannot travel in a Bearer header, naming the variable', () => {
    for (const token of ['', 'short', `${'a'.repeat(METRICS_TOKEN_LENGTH_MIN)} b`, 'ä'.repeat(40)]) {
      expect(() => readConfig({ KIUNGA_METRICS_TOKEN: token })).toThrow(ConfigError);
      expect(() => readConfig({ KIUNGA_METRICS_TOKEN: token })).toThrow(/KIUNGA_METRICS_TOKEN/);
    }
  });
});

describe('KIUNGA_QUICKBOOKS_* and KIUNGA_XERO_*', () => {
  it('offers no accounting package by default, and a vendor once both its keys are set', () => {
    expect(readConfig({}).accounting).toEqual({ quickbooks: null, xero: null });
    const config = readConfig({ KIUNGA_XERO_CLIENT_ID: 'id', KIUNGA_XERO_CLIENT_SECRET: 'secret' });
    expect(config.accounting.xero).toMatchObject({ clientId: 'id', baseUrl: 'https://api.xero.com' });
    expect(config.accounting.quickbooks).toBeNull();
  });

  it('refuses a client id without its secret at start', () => {
    expect(() => readConfig({ KIUNGA_QUICKBOOKS_CLIENT_ID: 'id' })).toThrow(
      'set both KIUNGA_QUICKBOOKS_CLIENT_ID and KIUNGA_QUICKBOOKS_CLIENT_SECRET, or neither',
    );
  });
});
