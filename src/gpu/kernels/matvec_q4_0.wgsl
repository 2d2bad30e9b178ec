// Q4_0 block (18 bytes): f16 scale d, then 16 bytes; byte j holds value j (low nibble) and value
// j + 16 (high nibble), each q in 0..15; value = (q − 8) · d. Body: matvec_q.wgsl.

const BLOCK_BYTES: u32 = 18u;

// Writes the block's 32 values q − 8 at byte `at` (of the up chunk when `up`) into q; returns its scale.
fn decode_block(at: u32, up: bool, q: ptr<function, array<f32, 32>>) -> f32 {
  for (var i = 0u; i < 4u; i++) {
    let word = weight_bytes4(at + 2u + 4u * i, up); // bytes 4i..4i+3
    for (var b = 0u; b < 4u; b++) {
      let byte = (word >> (8u * b)) & 0xffu;
      (*q)[4u * i + b] = f32(byte & 15u) - 8.0;
      (*q)[4u * i + b + 16u] = f32(byte >> 4u) - 8.0;
    }
  }
  return weight_f16(at, up);
}

@compute @workgroup_size(WG)
fn matvec_q4_0(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
               @builtin(local_invocation_index) lid: u32) {
  matvec_q_run(wid, nwg, lid);
}
