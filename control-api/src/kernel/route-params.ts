// Path parameters that many route declarations share.
import { z } from 'zod';

/** The `:id` of a resource path: any string, so an unknown id is the resource's own 404, not a 400. */
export const idParamsSchema = z.object({ id: z.string() });
