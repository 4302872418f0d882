// zod at the edge: parse a body or query once, or answer 400 validation_failed with the issues.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { z } from 'zod';

export function parseWith<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const summary = issues
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
      .join('; ');
    throw new KiungaError('validation_failed', `The request is not valid: ${summary}`, 400, issues);
  }
  return result.data;
}

const JSON_MEDIA_TYPE = 'application/json';

/**
 * True when the request says its body is JSON (`application/json`, parameters such as charset
 * allowed). A cross-site HTML form can only send text/plain, urlencoded or multipart bodies, so
 * a JSON route that insists on this cannot be posted to by another site's form.
 */
export function isJsonRequest(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === JSON_MEDIA_TYPE;
}

/** The body as JSON, parsed by the schema: 415 unless it is sent as JSON, 400 when it is not valid. */
export async function parseJsonBody<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  if (!isJsonRequest(context.req.header('content-type'))) throw new KiungaError('unsupported_media_type');
  let body: unknown;
  try {
    body = await context.req.json();
  } catch {
    throw new KiungaError('validation_failed', 'The request body must be JSON.');
  }
  return parseWith(schema, body);
}

export function parseQuery<Schema extends z.ZodType>(context: Context, schema: Schema): z.infer<Schema> {
  return parseWith(schema, context.req.query());
}
