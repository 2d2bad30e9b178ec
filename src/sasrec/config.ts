/**
 * SASRec hyper-parameters as stored in a model manifest's `config` (docs/ARCHITECTURE.md, "SASRec").
 */
import { z } from 'zod';

/** How positions are assigned to the history window (see docs/ARCHITECTURE.md). */
export type PositionMode = 'from_start' | 'right_aligned';

/** zod schema of the SASRec `config` object; `heads` must divide `hiddenUnits`. */
export const sasrecConfigSchema = z
  .object({
    /** number of real items N; ids are 1..N, 0 is padding, so item_emb has N+1 rows */
    itemCount: z.number().int().positive(),
    /** model width d */
    hiddenUnits: z.number().int().positive(),
    blocks: z.number().int().positive(),
    heads: z.number().int().positive(),
    /** window length (rows of pos_emb) */
    maxLen: z.number().int().positive(),
    layerNormEps: z.number().positive().default(1e-8),
    positions: z.enum(['from_start', 'right_aligned']).default('from_start'),
  })
  .refine((c) => c.hiddenUnits % c.heads === 0, {
    message: 'hiddenUnits must be a multiple of heads',
    path: ['heads'],
  });

/** Validated SASRec hyper-parameters. */
export type SasrecConfig = z.infer<typeof sasrecConfigSchema>;

/** A SASRec config is missing a field or has an impossible value. */
export class SasrecConfigError extends Error {
  override name = 'SasrecConfigError';
}

/** Validate an untrusted config object (e.g. from JSON); throws SasrecConfigError naming the field. */
export function parseSasrecConfig(raw: unknown): SasrecConfig {
  const result = sasrecConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SasrecConfigError(
      `SASRec config.${issue.path.join('.') || '(root)'}: ${issue.message}; fix the model manifest`,
    );
  }
  return result.data;
}

/** Every tensor a SASRec checkpoint must contain, with its expected shape (PyTorch names). */
export function expectedSasrecTensors(config: SasrecConfig): Map<string, readonly number[]> {
  const d = config.hiddenUnits;
  const shapes = new Map<string, readonly number[]>([
    ['item_emb.weight', [config.itemCount + 1, d]],
    ['pos_emb.weight', [config.maxLen, d]],
  ]);
  for (let i = 0; i < config.blocks; i++) {
    shapes.set(`attention_layernorms.${i}.weight`, [d]);
    shapes.set(`attention_layernorms.${i}.bias`, [d]);
    shapes.set(`attention_layers.${i}.in_proj_weight`, [3 * d, d]);
    shapes.set(`attention_layers.${i}.in_proj_bias`, [3 * d]);
    shapes.set(`attention_layers.${i}.out_proj.weight`, [d, d]);
    shapes.set(`attention_layers.${i}.out_proj.bias`, [d]);
    shapes.set(`forward_layernorms.${i}.weight`, [d]);
    shapes.set(`forward_layernorms.${i}.bias`, [d]);
    shapes.set(`forward_layers.${i}.fc1.weight`, [d, d]);
    shapes.set(`forward_layers.${i}.fc1.bias`, [d]);
    shapes.set(`forward_layers.${i}.fc2.weight`, [d, d]);
    shapes.set(`forward_layers.${i}.fc2.bias`, [d]);
  }
  shapes.set('last_layernorm.weight', [d]);
  shapes.set('last_layernorm.bias', [d]);
  return shapes;
}
