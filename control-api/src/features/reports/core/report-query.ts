// `GET /api/v1/reports/sales|activity|network?from=&to=&format=`: the range and the answer's format.
import { z } from 'zod';
import { timeRangeOf } from '../../../kernel/time-range';

export const reportQuerySchema = z
  .object({ from: z.unknown(), to: z.unknown(), format: z.enum(['json', 'csv', 'pdf']).default('json') })
  .transform((query, context) => {
    const range = timeRangeOf(query, context);
    if (range === z.NEVER) return z.NEVER;
    return { range, format: query.format };
  });

export type ReportQuery = z.infer<typeof reportQuerySchema>;
