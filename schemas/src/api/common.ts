// Small zod building blocks shared by the ISP API's input and output schemas.
import { z } from 'zod';

/** Milliseconds since the epoch, or an ISO 8601 date-time; both become milliseconds. */
export const instantInputSchema = z
  .union([z.number().int().min(0), z.iso.datetime({ offset: true })])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));

/** Query booleans arrive as text. */
export const queryBooleanSchema = z.enum(['true', 'false']).transform((value) => value === 'true');

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export function pageResponseSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
