// Q8_0 weights: the block decoder of quant_blocks.wgsl with QUANT = 1. Body: matvec_q.wgsl.

const QUANT: u32 = 1u;

@compute @workgroup_size(WG)
fn matvec_q8_0(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
               @builtin(local_invocation_index) lid: u32) {
  matvec_q_run(wid, nwg, lid);
}
