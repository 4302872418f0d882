// GET /api/v1/diagnostics?q=<username | voucher code | MAC | phone>: "why is this client offline?"
import { liveSessionOutputSchema } from '@kiunga/schemas';
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { diagnose } from './service';

/** Longest thing a person searches by: a username (64) with room to spare. */
const DIAGNOSTIC_QUERY_LENGTH_MAX = 128;

export const diagnosticsQuerySchema = z.object({
  q: z.string().trim().min(1).max(DIAGNOSTIC_QUERY_LENGTH_MAX),
});

export const diagnosisOutputSchema = z.object({
  subject: z
    .object({
      kind: z.enum(['voucher', 'subscriber']),
      id: z.string(),
      status: z.string(),
      planId: z.string(),
      expiresAt: z.number().int().nullable(),
    })
    .nullable(),
  decisions: z.array(
    z.object({
      at: z.number().int(),
      /** Equal decisions (same NAS, device, result and reason) counted in this one; 1 for a single one. */
      count: z.number().int().min(1),
      /** When the last of them was taken; `at` is the first. */
      lastAt: z.number().int(),
      nasId: z.string(),
      mac: z.string(),
      username: z.string(),
      result: z.enum(['accept', 'reject']),
      reason: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  sessions: z.array(liveSessionOutputSchema),
  deviceSlots: z.object({ used: z.number().int(), limit: z.number().int() }).nullable(),
  billing: z
    .object({
      balanceCents: z.number().int(),
      overdueCents: z.number().int(),
      lastPaymentAt: z.number().int().nullable(),
    })
    .optional(),
});

const diagnostics = routeGroup({ basePath: '/api/v1/diagnostics', tag: 'sessions' });

diagnostics.declare({
  method: 'get',
  path: '/',
  summary:
    'Why a client is offline: its voucher or subscriber, last Access-Request decisions (newest first), sessions, device slots and billing',
  permission: 'sessions.read',
  query: diagnosticsQuerySchema,
  response: diagnosisOutputSchema,
  handler: async ({ query, dependencies, respond }, context) =>
    respond(
      await diagnose(
        tenantDatabaseOf(context, dependencies),
        dependencies.aaa,
        tenantIdOf(context),
        query.q,
        dependencies.clock.now(),
      ),
    ),
});

export const diagnosticsRoutes = (dependencies: ApiDependencies) => diagnostics.mount(dependencies);
