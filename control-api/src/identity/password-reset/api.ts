// /api/v1/auth/password-reset: "forgot password" for every kind of account (issue 14's contract).
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { emailSchema, newPasswordSchema } from '../passwords';
import { confirmPasswordReset, requestPasswordReset } from './service';

/** A reset token is 43 base64url characters; anything up to this length is looked up and refused alike. */
const TOKEN_LENGTH_MAX = 256;

/** An ISP's slug as the customer portal's address has it (/account/<slug>). */
const ISP_SLUG_LENGTH_MAX = 64;

export const passwordResetRequestSchema = z.object({
  email: emailSchema,
  /** For a subscriber of the customer portal: their ISP's slug (addresses are per ISP). */
  isp: z
    .string()
    .trim()
    .min(1)
    .max(ISP_SLUG_LENGTH_MAX)
    .regex(/^[a-z0-9-]+$/)
    .optional(),
});
export const passwordResetConfirmSchema = z.object({
  token: z.string().trim().min(1).max(TOKEN_LENGTH_MAX),
  password: newPasswordSchema,
});

const passwordReset = routeGroup({ basePath: '/api/v1/auth/password-reset', tag: 'auth' });

passwordReset.declare({
  method: 'post',
  path: '/',
  summary:
    "Ask for a password-reset link by email; 202 whether or not the account exists (nothing is sent when email is off). With `isp` (the slug), for the subscribers of that ISP's customer portal",
  permission: 'public',
  body: passwordResetRequestSchema,
  responseStatus: 202,
  handler: async ({ body, dependencies }, context) => {
    await requestPasswordReset(dependencies, context, body.email, body.isp);
    return context.body(null, 202);
  },
});

passwordReset.declare({
  method: 'post',
  path: '/confirm',
  summary: "Set a new password with the mail's token: 204 once; every session of the account ends",
  permission: 'public',
  body: passwordResetConfirmSchema,
  responseStatus: 204,
  handler: async ({ body, dependencies }, context) => {
    await confirmPasswordReset(dependencies, context, body);
    return context.body(null, 204);
  },
});

export const passwordResetRoutes = (dependencies: ApiDependencies) => passwordReset.mount(dependencies);
