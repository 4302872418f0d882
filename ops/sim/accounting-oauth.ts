// The OAuth 2.0 authorization server both accounting simulators share (RFC 6749 sections 4.1 and 6, as
// Intuit and Xero run it): an authorize endpoint that redirects with a one-time code, and a token endpoint
// that exchanges the code and rotates refresh tokens — a refresh token, once used, is refused with
// invalid_grant (stricter than Xero's 30-minute grace for a lost answer, Xero FAQ "OAuth 2.0").
import { randomBytes } from 'node:crypto';
import type { Clock } from '@kiunga/schemas';

/** RFC 6749 section 4.1.2 recommends at most 10 minutes for a code; both vendors use less. */
export const AUTHORIZATION_CODE_LIFETIME_MS = 5 * 60_000;
/** Codes, tokens and grants kept in memory; a test run creates a handful. */
export const GRANTS_MAX = 10_000;

export interface OAuthClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface OAuthServerOptions {
  readonly clients: readonly OAuthClientRegistration[];
  /** Scopes that must all be asked for (the vendor refuses a consent without them). */
  readonly requiredScopes: readonly string[];
  readonly accessTokenLifetimeSeconds: number;
  /** Intuit reports it (x_refresh_token_expires_in); Xero does not. */
  readonly refreshTokenLifetimeSeconds: number | null;
  readonly clock: Clock;
}

export interface Grant {
  readonly clientId: string;
  /** Intuit: the realmId; Xero: the tenant ids the user connected. */
  readonly subject: string;
  currentRefreshToken: string;
  isRevoked: boolean;
}

export type OAuthReply = { status: number; body: unknown; headers?: Record<string, string> };

export class SimulatedOAuthServer {
  private readonly codes = new Map<
    string,
    { grantSubject: string; clientId: string; redirectUri: string; expiresAtMs: number }
  >();
  private readonly accessTokens = new Map<string, { grant: Grant; expiresAtMs: number }>();
  private readonly refreshTokens = new Map<string, Grant>();
  readonly grants: Grant[] = [];

  constructor(private readonly options: OAuthServerOptions) {}

  /**
   * GET authorize: an unknown client or unregistered redirect_uri is answered 400 without a redirect
   * (section 4.1.2.1); other errors redirect with `error`; consent is assumed given for `subject`.
   */
  authorize(
    query: URLSearchParams,
    subject: string,
    extraRedirectParameters: Record<string, string>,
  ): OAuthReply {
    const client = this.options.clients.find((candidate) => candidate.clientId === query.get('client_id'));
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client?.redirectUris.includes(redirectUri))
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'unknown client or redirect_uri' },
      };
    const target = new URL(redirectUri);
    const state = query.get('state');
    if (state) target.searchParams.set('state', state);
    const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    if (query.get('response_type') !== 'code') target.searchParams.set('error', 'unsupported_response_type');
    else if (!this.options.requiredScopes.every((scope) => scopes.includes(scope)))
      target.searchParams.set('error', 'invalid_scope');
    else if (this.codes.size >= GRANTS_MAX) target.searchParams.set('error', 'temporarily_unavailable');
    else {
      const code = randomBytes(18).toString('base64url');
      this.codes.set(code, {
        grantSubject: subject,
        clientId: client.clientId,
        redirectUri,
        expiresAtMs: this.options.clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
      });
      target.searchParams.set('code', code);
      for (const [name, value] of Object.entries(extraRedirectParameters))
        target.searchParams.set(name, value);
    }
    return { status: 302, body: '', headers: { location: target.toString() } };
  }

  /** POST token: client authentication by HTTP Basic (section 2.3.1), then the grant. */
  token(authorization: string | undefined, form: URLSearchParams): OAuthReply {
    const client = this.clientOf(authorization);
    if (!client) return { status: 401, body: { error: 'invalid_client' } };
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(client, form);
    if (grantType === 'refresh_token') return this.refresh(client, form.get('refresh_token') ?? '');
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }

  /** The grant behind a Bearer token, or null when unknown, expired or revoked. */
  grantOf(authorization: string | undefined): Grant | null {
    if (!authorization?.startsWith('Bearer ')) return null;
    const entry = this.accessTokens.get(authorization.slice('Bearer '.length));
    if (!entry || entry.grant.isRevoked || this.options.clock.now() >= entry.expiresAtMs) return null;
    return entry.grant;
  }

  /** Every access token stops working now (as after their lifetime); refresh tokens stay valid. */
  expireAccessTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expiresAtMs = 0;
  }

  /** The ISP disconnected the app: every token of every grant is refused from now on. */
  revokeAll(): void {
    for (const grant of this.grants) grant.isRevoked = true;
  }

  private clientOf(authorization: string | undefined): OAuthClientRegistration | undefined {
    if (!authorization?.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString();
    return this.options.clients.find((client) => `${client.clientId}:${client.clientSecret}` === decoded);
  }

  private exchangeCode(client: OAuthClientRegistration, form: URLSearchParams): OAuthReply {
    const code = form.get('code') ?? '';
    const entry = this.codes.get(code);
    // A code is single use: it is spent whatever the outcome (section 4.1.2).
    this.codes.delete(code);
    if (
      !entry ||
      entry.clientId !== client.clientId ||
      entry.redirectUri !== form.get('redirect_uri') ||
      this.options.clock.now() >= entry.expiresAtMs
    )
      return { status: 400, body: { error: 'invalid_grant' } };
    if (this.grants.length >= GRANTS_MAX) return { status: 503, body: { error: 'temporarily_unavailable' } };
    const grant: Grant = {
      clientId: client.clientId,
      subject: entry.grantSubject,
      currentRefreshToken: '',
      isRevoked: false,
    };
    this.grants.push(grant);
    return this.issue(grant);
  }

  private refresh(client: OAuthClientRegistration, refreshToken: string): OAuthReply {
    const grant = this.refreshTokens.get(refreshToken);
    if (
      !grant ||
      grant.isRevoked ||
      grant.clientId !== client.clientId ||
      grant.currentRefreshToken !== refreshToken
    )
      return { status: 400, body: { error: 'invalid_grant' } };
    this.refreshTokens.delete(refreshToken);
    return this.issue(grant);
  }

  private issue(grant: Grant): OAuthReply {
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    const nowMs = this.options.clock.now();
    this.accessTokens.set(accessToken, {
      grant,
      expiresAtMs: nowMs + this.options.accessTokenLifetimeSeconds * 1000,
    });
    this.refreshTokens.set(refreshToken, grant);
    grant.currentRefreshToken = refreshToken;
    return {
      status: 200,
      body: {
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: 'bearer',
        expires_in: this.options.accessTokenLifetimeSeconds,
        ...(this.options.refreshTokenLifetimeSeconds === null
          ? {}
          : { x_refresh_token_expires_in: this.options.refreshTokenLifetimeSeconds }),
      },
    };
  }
}
