// Errors as the API answers them: KiungaError from the one catalogue (@kiunga/schemas), rendered
// {"error":{"code","message"}} by apiErrorHandler, the app's only onError.
import { KiungaError } from '@kiunga/schemas';
import type { ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type { AppEnv } from './dependencies';

export { type ErrorCode, errorCatalogue, KiungaError } from '@kiunga/schemas';

/** The one place an error becomes {"error":{"code","message"}} (also for the WebSocket upgrade gate). */
export function apiErrorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (error, context) => {
    if (error instanceof KiungaError) {
      return context.json(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
          },
        },
        error.httpStatus as ContentfulStatusCode,
      );
    }
    logger.error({ err: error, path: context.req.path }, 'unhandled error');
    return context.json(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
      500,
    );
  };
}
