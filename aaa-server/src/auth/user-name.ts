// The account name inside a RADIUS User-Name: Windows and some CPEs send `DOMAIN\user`.

/**
 * `DOMAIN\user` → `user`; a name without a backslash is returned as it is. RFC 2759 §8.2 hashes "only
 * the user name (as presented by the peer and excluding any prepended domain name)", so the lookup must
 * use the same name the hash does. Kiunga's usernames cannot hold a backslash (the subscriber schema
 * allows letters, digits and `._@-`), so nothing else is lost.
 */
export function userNameWithoutDomain(userName: string): string {
  // indexOf first: V8 runs it inline, lastIndexOf in its runtime, and almost no name has a domain.
  if (userName.indexOf('\\') === -1) return userName;
  return userName.slice(userName.lastIndexOf('\\') + 1);
}
