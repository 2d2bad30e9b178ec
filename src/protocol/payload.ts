/**
 * Validating a worker request's payload: one helper for every handler (SASRec, LLM).
 */
import type { z } from 'zod';
import { InvalidRequestError } from './errors.ts';

/** Validate `payload` with `schema` or throw InvalidRequestError naming the field (all issues in details). */
export function parsePayload<T>(kind: string, schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(
    `${kind}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}.`,
    {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    },
  );
}
