// Request body limits per route family, enforced while the body is read (hono/body-limit): a
// declared Content-Length over the limit is refused before a byte is read, and a chunked body is
// cut off as soon as it passes the limit, so an oversized body is never buffered or parsed.
import { KiungaError, LOGO_LENGTH_MAX } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ATTACHMENT_BYTES_MAX } from '../attachments';
import { closeInStagesAfterAnswer } from './staged-close';

const KIB = 1024;

/**
 * 1 MiB for /api/v1: the largest JSON body the API takes is a branding logo (a data URL of at most
 * LOGO_LENGTH_MAX, 256 KiB); a voucher batch or a subscriber is a few hundred bytes.
 */
export const API_BODY_BYTES_MAX = 1024 * KIB;
/**
 * 64 KiB for the consoles', the captive portal's and the self-service forms: a form of text
 * fields (the longest, an SMS or support message, is a few KiB) with room to spare.
 */
export const FORM_BODY_BYTES_MAX = 64 * KIB;
/** The branding form uploads the logo file itself (multipart): the logo's limit and the form's fields. */
export const LOGO_FORM_BODY_BYTES_MAX = LOGO_LENGTH_MAX + FORM_BODY_BYTES_MAX;
export const LOGO_FORM_PATH = '/isp/branding';
/**
 * A conversation message with an attached file (issue 14): the file's own limit (checked from the
 * bytes, 413 past 2 MB) and the form's text fields, so the attachment check, not this one, answers a
 * file over 2 MB.
 */
export const ATTACHMENT_FORM_BODY_BYTES_MAX = ATTACHMENT_BYTES_MAX + FORM_BODY_BYTES_MAX;
/** Support replies (features/support) in the API and both consoles, and client chat (features/chat) posts. */
const ATTACHMENT_FORM_PATHS = [
  /^\/(?:api\/v1\/support\/conversations|api\/v1\/platform\/support\/conversations|isp\/support|platform\/support)\/[^/]+\/messages$/,
  /^\/(?:api\/v1\/chat\/conversations\/[^/]+|isp\/chat\/[^/]+|account\/[^/]+\/chat|portal\/[^/]+\/chat)\/messages$/,
];
/**
 * Server-to-server callbacks keep the 64 KiB limit their own routes set (portal/routes.tsx,
 * routes/platform-billing.ts), with the answer their senders expect.
 */
export const CALLBACK_PATH_PREFIX = '/callbacks/';

/** The body limit of a path, or null where the routes set their own. */
export function bodyBytesMaxFor(path: string): number | null {
  if (path.startsWith(CALLBACK_PATH_PREFIX)) return null;
  if (ATTACHMENT_FORM_PATHS.some((pattern) => pattern.test(path))) return ATTACHMENT_FORM_BODY_BYTES_MAX;
  if (path === '/api' || path.startsWith('/api/')) return API_BODY_BYTES_MAX;
  if (path === LOGO_FORM_PATH) return LOGO_FORM_BODY_BYTES_MAX;
  return FORM_BODY_BYTES_MAX;
}

function limitOf(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (context) => {
      // The rest of the body is not parsed: ask the client to stop sending it on this connection,
      // and close in stages so that a client still sending reads this answer, not a reset.
      context.header('connection', 'close');
      closeInStagesAfterAnswer(context.env);
      throw new KiungaError(
        'payload_too_large',
        `The request body is larger than ${Math.floor(maxSize / KIB)} KiB.`,
        413,
        { limitBytes: maxSize },
      );
    },
  });
}

/** One middleware for the whole app: each request gets its family's limit. */
export function limitRequestBodies(): MiddlewareHandler {
  const limits = new Map<number, MiddlewareHandler>();
  for (const size of [
    API_BODY_BYTES_MAX,
    FORM_BODY_BYTES_MAX,
    LOGO_FORM_BODY_BYTES_MAX,
    ATTACHMENT_FORM_BODY_BYTES_MAX,
  ])
    limits.set(size, limitOf(size));
  return async (context, next) => {
    const size = bodyBytesMaxFor(context.req.path);
    const limit = size === null ? undefined : limits.get(size);
    return limit ? limit(context, next) : next();
  };
}
