/** GPU embedding gather (+ scale, + positions): wraps embed.wgsl. */
import source from './embed.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';

/** `struct Params` of embed.wgsl, field by field. */
export const EMBED_PARAMS = [
  ['n', 'u32'],
  ['d', 'u32'],
  ['pos_start', 'u32'],
  ['has_pos', 'u32'],
  ['scale', 'f32'],
] as const satisfies ParamLayout;

/** The embed kernel: table, pos, ids, out, params. */
export const EMBED_KERNEL = kernelSpec('embed', source, ['read', 'read', 'read', 'write', 'uniform']);

const WG = 64;

/** Records out [n, d] = table[ids] · scale + pos[posStart…] (pos null: none). */
export function recordEmbed(
  rec: Recorder,
  table: BufferRange, // [rows, d]
  pos: BufferRange | null, // [P, d]
  ids: BufferRange, // [n] i32
  out: BufferRange, // [n, d]
  dims: { n: number; d: number; scale: number; posStart: number },
): void {
  const params = packParams(EMBED_PARAMS, {
    n: dims.n,
    d: dims.d,
    pos_start: dims.posStart,
    has_pos: pos ? 1 : 0,
    scale: dims.scale,
  });
  const groups = grid(Math.ceil((dims.n * dims.d) / WG));
  rec.dispatch(EMBED_KERNEL, { WG }, [table, pos ?? table, ids, out], params, groups);
}
