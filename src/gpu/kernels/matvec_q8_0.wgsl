// Q8_0 block (34 bytes): f16 scale d, then 32 int8 q; value = q · d. Body: matvec_q.wgsl.

const BLOCK_BYTES: u32 = 34u;

// Writes the block's 32 int8 values at byte `at` (of the up chunk when `up`) into q; returns its scale.
fn decode_block(at: u32, up: bool, q: ptr<function, array<f32, 32>>) -> f32 {
  for (var i = 0u; i < 8u; i++) {
    let word = weight_bytes4(at + 2u + 4u * i, up); // bytes 4i..4i+3
    for (var b = 0u; b < 4u; b++) {
      (*q)[4u * i + b] = f32(bitcast<i32>(word << (24u - 8u * b)) >> 24u);
    }
  }
  return weight_f16(at, up);
}

@compute @workgroup_size(WG)
fn matvec_q8_0(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
               @builtin(local_invocation_index) lid: u32) {
  matvec_q_run(wid, nwg, lid);
}
