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

export async function parseJsonBody<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
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
