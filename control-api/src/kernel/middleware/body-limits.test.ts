// Each route family has its body limit; the callbacks keep the one their routes set.
import { describe, expect, it } from 'vitest';
import {
  API_BODY_BYTES_MAX,
  ATTACHMENT_FORM_BODY_BYTES_MAX,
  bodyBytesMaxFor,
  FORM_BODY_BYTES_MAX,
  LOGO_FORM_BODY_BYTES_MAX,
} from './body-limits';

describe('bodyBytesMaxFor', () => {
  it('gives the API 1 MiB, forms 64 KiB and the logo upload room for its file', () => {
    expect(bodyBytesMaxFor('/api/v1/auth/login')).toBe(API_BODY_BYTES_MAX);
    expect(API_BODY_BYTES_MAX).toBe(1024 * 1024);
    for (const path of ['/login', '/logout', '/isp/vouchers', '/portal/demo/buy', '/account/demo/login'])
      expect(bodyBytesMaxFor(path)).toBe(FORM_BODY_BYTES_MAX);
    expect(FORM_BODY_BYTES_MAX).toBe(64 * 1024);
    expect(bodyBytesMaxFor('/isp/branding')).toBe(LOGO_FORM_BODY_BYTES_MAX);
    expect(bodyBytesMaxFor('/isp/branding/other')).toBe(FORM_BODY_BYTES_MAX);
  });

  it('gives the support reply routes room for a 2 MB attachment, and no other route', () => {
    for (const path of [
      '/api/v1/support/conversations/spc_1/messages',
      '/api/v1/platform/support/conversations/spc_1/messages',
      '/isp/support/spc_1/messages',
      '/platform/support/spc_1/messages',
    ])
      expect(bodyBytesMaxFor(path)).toBe(ATTACHMENT_FORM_BODY_BYTES_MAX);
    expect(ATTACHMENT_FORM_BODY_BYTES_MAX).toBe(2 * 1024 * 1024 + 64 * 1024);
    expect(bodyBytesMaxFor('/api/v1/support/conversations')).toBe(API_BODY_BYTES_MAX);
    expect(bodyBytesMaxFor('/api/v1/support/conversations/spc_1/messages/x')).toBe(API_BODY_BYTES_MAX);
    expect(bodyBytesMaxFor('/isp/support')).toBe(FORM_BODY_BYTES_MAX);
  });

  it('leaves the M-Pesa callbacks to their own routes', () => {
    expect(bodyBytesMaxFor('/callbacks/mm/ten_1/abc/stk')).toBeNull();
    expect(bodyBytesMaxFor('/callbacks/mm/platform/abc/stk')).toBeNull();
  });
});
