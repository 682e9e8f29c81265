import { z } from 'zod';
import { idText } from '../http/input.js';

/**
 * The organisation a billing request acts for: `?org=` on the user's reads under /api/me/*, a body
 * field `organization_id` on writes. Only its owner and billing admins may use it (403 for a plain
 * member, 404 for anyone else); without it the request is the user's own.
 */
export const orgContextField = idText()
  .optional()
  .describe(
    'Act for this organisation (the host app’s id) instead of the user themself: only its `owner` and `billing_admin` members may (403 `organization_role_forbidden` for a `member`, 404 for anyone else)',
  );

export const orgContextQuery = z.object({ org: orgContextField }).strict();

/**
 * A request the host app's backend makes for a payer: it names exactly one of `user_id` and
 * `organization_id` (a zod refinement, for `superRefine`).
 */
export function exactlyOnePayer(
  body: { user_id?: string | undefined; organization_id?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((body.user_id === undefined) === (body.organization_id === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['user_id'],
      message: 'give exactly one of user_id and organization_id',
    });
}
