// What the rest of control-api (routes, consoles) uses from identity: sign-in, sessions, CSRF.
export { apiKeyPrincipal, isApiKeyToken } from './api-keys/service';
export {
  assertTenantWritable,
  authenticateConsole,
  CSRF_FORM_FIELD,
  CSRF_HEADER_NAME,
  consoleHomePath,
  cookieSessionPrincipal,
  csrfTokenFor,
  endCookieSession,
  hasValidCsrfToken,
  isSafeMethod,
  PASSWORD_CHANGE_PATH,
  SESSION_COOKIE_NAME,
  startCookieSession,
  verifyCsrf,
} from './console-sessions';
export { type LoginInput, verifyLogin } from './login';
export { hashPassword, verifyPassword } from './passwords';
export { loadUserPrincipal } from './principals';
export { issueTokenPair, revokeAllSessionsOf, type TokenPair } from './refresh-tokens';
export { builtInIspRoles, builtInPlatformRoles, ensureBuiltInRoles } from './roles/service';
export { accountScopeOf, requirePlatformPrincipal } from './scope';
export { isSameSecret, randomSecret } from './secrets';
