// OAuth 2.0 authorization code flow (RFC 6749 sections 4.1 and 6) as Intuit and Xero both run it: the ISP
// is sent to the vendor's authorize URL with a state, comes back with a code, the code is exchanged at the
// token endpoint (client id and secret in HTTP Basic, section 2.3.1), and the refresh token is exchanged
// for a new pair whenever the access token runs out. Both vendors rotate refresh tokens: the answer's
// refresh token replaces the stored one (Xero FAQ "OAuth 2.0", developer.xero.com/faq/oauth2: replace the
// refresh token with the one returned; a refresh whose answer was lost may be retried with the old token
// for 30 minutes; unused refresh tokens expire after 60 days, access tokens after 30 minutes. Intuit
// "Authorization FAQ" and its SDK release notes (QuickBooks-V3-Java-SDK v6.5.4): store the latest refresh
// token; it carries x_refresh_token_expires_in). A timed-out refresh leaves the old token stored, so the
// next call retries it inside that grace period.
import type { Clock } from '@kiunga/schemas';
import { z } from 'zod';
import { type JsonEndpoint, jsonEndpoint } from '../http-json';
import { AccountingApiError, type AccountingProvider, errorKindOfStatus } from './errors';

/** Renew an access token this long before the vendor says it expires (both issue 30–60 minute tokens). */
export const ACCESS_TOKEN_EXPIRY_MARGIN_MS = 2 * 60_000;
/** A state shorter than this is guessable; RFC 6749 section 10.12 asks for a non-guessable value. */
export const STATE_CHARS_MIN = 16;
/** Token answers are a few KB (Xero's carry an id_token JWT). */
const TOKEN_RESPONSE_CHARS_MAX = 64 * 1024;

export interface TokenSet {
  readonly accessToken: string;
  /** The latest refresh token: every refresh replaces it. */
  readonly refreshToken: string;
  readonly accessTokenExpiresAtMs: number;
  /** Intuit says when the refresh token itself expires (x_refresh_token_expires_in); Xero does not. */
  readonly refreshTokenExpiresAtMs: number | null;
}

/** Where the integration keeps a connection's tokens (sealed with the master key); the client never logs them. */
export interface TokenStore {
  load(): Promise<TokenSet>;
  save(tokens: TokenSet): Promise<void>;
}

export interface OAuthAppOptions {
  readonly provider: AccountingProvider;
  /** `KIUNGA_QUICKBOOKS_AUTH_URL` / `KIUNGA_XERO_AUTH_URL`: where the ISP's browser is sent. */
  readonly authorizeUrl: string;
  /** `KIUNGA_QUICKBOOKS_TOKEN_URL` / `KIUNGA_XERO_TOKEN_URL`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Must be registered with the vendor exactly as sent. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch | undefined;
}

/** What a vendor's OAuth app needs from configuration; the vendor module adds its defaults and scopes. */
export interface VendorOAuthOptions {
  /** `KIUNGA_<VENDOR>_AUTH_URL`; the vendor's own when absent. */
  readonly authorizeUrl?: string | undefined;
  /** `KIUNGA_<VENDOR>_TOKEN_URL`; the vendor's own when absent. */
  readonly tokenUrl?: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch | undefined;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Seconds. */
  expires_in: z.number().int().positive(),
  token_type: z.string(),
  /** Intuit only: seconds until the refresh token expires. */
  x_refresh_token_expires_in: z.number().int().positive().optional(),
});

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** One vendor app's OAuth endpoints: the authorize URL, the code exchange and the refresh. */
export class OAuthApp {
  readonly options: OAuthAppOptions;
  private readonly send: JsonEndpoint;
  private readonly tokenPath: string;

  constructor(options: OAuthAppOptions) {
    if (options.clientId === '' || options.clientSecret === '')
      throw new RangeError('clientId and clientSecret are required');
    this.options = options;
    const tokenUrl = new URL(options.tokenUrl);
    this.tokenPath = `${tokenUrl.pathname}${tokenUrl.search}`;
    this.send = jsonEndpoint({
      baseUrl: tokenUrl.origin,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: TOKEN_RESPONSE_CHARS_MAX,
      providerName: options.provider,
      fail: (kind, message, details, path) =>
        new AccountingApiError(options.provider, kind, path, message, details),
    });
  }

  /** The URL to send the ISP's browser to (RFC 6749 section 4.1.1); `state` is checked on the way back. */
  authorizeUrl(state: string): string {
    if (state.length < STATE_CHARS_MIN)
      throw new RangeError(`state must be at least ${STATE_CHARS_MIN} characters`);
    const url = new URL(this.options.authorizeUrl);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', this.options.scopes.join(' '));
    url.searchParams.set('redirect_uri', this.options.redirectUri);
    url.searchParams.set('state', state);
    return url.toString();
  }

  /** The code from the redirect for the first token pair (section 4.1.3). */
  exchangeCode(code: string): Promise<TokenSet> {
    return this.requestTokens({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri,
    });
  }

  /**
   * A new pair for the refresh token (section 6). `invalid_grant` (revoked, expired, or already rotated)
   * throws kind 'authentication': no retry helps, the ISP must connect again.
   */
  refresh(refreshToken: string): Promise<TokenSet> {
    return this.requestTokens({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async requestTokens(form: Record<string, string>): Promise<TokenSet> {
    const credentials = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString(
      'base64',
    );
    const response = await this.send(
      'POST',
      this.tokenPath,
      {
        Authorization: `Basic ${credentials}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      new URLSearchParams(form).toString(),
    );
    if (response.status !== 200) {
      const parsed = oauthErrorSchema.safeParse(response.body);
      const oauthError = parsed.success ? parsed.data.error : undefined;
      // RFC 6749 section 5.2: invalid_grant and invalid_client are answered 400/401; neither heals by itself.
      const isRefused = oauthError === 'invalid_grant' || oauthError === 'invalid_client';
      const kind = isRefused ? 'authentication' : errorKindOfStatus(response.status);
      throw new AccountingApiError(
        this.options.provider,
        kind === 'validation' ? 'authentication' : kind,
        this.tokenPath,
        parsed.success
          ? `token endpoint refused: ${parsed.data.error}${parsed.data.error_description ? ` (${parsed.data.error_description})` : ''}`
          : `token endpoint answered HTTP ${response.status}`,
        { httpStatus: response.status, oauthError },
      );
    }
    const parsed = tokenResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new AccountingApiError(
        this.options.provider,
        'invalid_response',
        this.tokenPath,
        'token answer is not {access_token, refresh_token, expires_in, token_type}',
        { httpStatus: response.status, cause: parsed.error },
      );
    }
    const nowMs = this.options.clock.now();
    const refreshSeconds = parsed.data.x_refresh_token_expires_in;
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      accessTokenExpiresAtMs: nowMs + parsed.data.expires_in * 1000,
      refreshTokenExpiresAtMs: refreshSeconds === undefined ? null : nowMs + refreshSeconds * 1000,
    };
  }
}

/**
 * Hands out a valid access token for one connection: refreshes ahead of expiry or after a 401, one refresh
 * at a time (two concurrent refreshes would spend the single-use refresh token twice and lose the
 * connection), and saves every new pair before using it.
 */
export class AccessTokenKeeper {
  private inFlight: Promise<TokenSet> | null = null;

  constructor(
    private readonly app: OAuthApp,
    private readonly store: TokenStore,
    private readonly clock: Clock,
  ) {}

  async accessToken(): Promise<string> {
    const tokens = await this.store.load();
    if (this.clock.now() < tokens.accessTokenExpiresAtMs - ACCESS_TOKEN_EXPIRY_MARGIN_MS)
      return tokens.accessToken;
    return (await this.refreshOnce(tokens.refreshToken)).accessToken;
  }

  /** After the vendor refused `rejectedAccessToken`: refresh unless another caller already did. */
  async renewAfterRejection(rejectedAccessToken: string): Promise<string> {
    const tokens = await this.store.load();
    if (tokens.accessToken !== rejectedAccessToken) return tokens.accessToken;
    return (await this.refreshOnce(tokens.refreshToken)).accessToken;
  }

  private refreshOnce(refreshToken: string): Promise<TokenSet> {
    if (this.inFlight === null) {
      this.inFlight = this.app
        .refresh(refreshToken)
        .then(async (tokens) => {
          await this.store.save(tokens);
          return tokens;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }
}

/** A TokenStore in memory: tests, and the integration's unit of work before it seals tokens into the shard. */
export class MemoryTokenStore implements TokenStore {
  constructor(private tokens: TokenSet) {}
  async load(): Promise<TokenSet> {
    return this.tokens;
  }
  async save(tokens: TokenSet): Promise<void> {
    this.tokens = tokens;
  }
  current(): TokenSet {
    return this.tokens;
  }
}
