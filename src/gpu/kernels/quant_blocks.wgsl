// GGUF block decoders shared by the quantized kernels (matvec_q.wgsl, qkv.wgsl); not a kernel of
// its own. The including kernel defines `QUANT` (1: Q8_0, 2: Q4_0; a const or an override) and
// `weight_word(i, up)`, word i of its weight binding (of the up weight's when `up`). Weights are
// bound as u32 words: blocks are 34 or 18 bytes, so every block starts 2-byte aligned and its f16
// scale lies inside one word.
//   Q8_0 block (34 bytes): f16 scale d, then 32 int8 q; value = q · d.
//   Q4_0 block (18 bytes): f16 scale d, then 16 bytes; byte j holds value j (low nibble) and value
//   j + 16 (high nibble), each q in 0..15; value = (q − 8) · d.

// Bytes of one block of the QUANT type.
fn block_bytes() -> u32 {
  return select(18u, 34u, QUANT == 1u);
}

// The 4 bytes from even byte `at` (of the up chunk when `up`) as one little-endian word (two loads
// when `at` is not 4-aligned).
fn weight_bytes4(at: u32, up: bool) -> u32 {
  let word = weight_word(at >> 2u, up);
  if ((at & 2u) == 0u) { return word; }
  return (word >> 16u) | (weight_word((at >> 2u) + 1u, up) << 16u);
}

// The f16 at even byte `at` (of the up chunk when `up`), as f32.
fn weight_f16(at: u32, up: bool) -> f32 {
  let halves = unpack2x16float(weight_word(at >> 2u, up));
  return select(halves.x, halves.y, (at & 2u) != 0u);
}

// Writes the 32 integer parts of the block at byte `at` (q for Q8_0, q − 8 for Q4_0) into q and
// returns its scale d, so value j = q[j] · d.
fn decode_block(at: u32, up: bool, q: ptr<function, array<f32, 32>>) -> f32 {
  if (QUANT == 1u) {
    for (var i = 0u; i < 8u; i++) {
      let word = weight_bytes4(at + 2u + 4u * i, up); // bytes 4i..4i+3
      for (var b = 0u; b < 4u; b++) {
        (*q)[4u * i + b] = f32(bitcast<i32>(word << (24u - 8u * b)) >> 24u);
      }
    }
  } else {
    for (var i = 0u; i < 4u; i++) {
      let word = weight_bytes4(at + 2u + 4u * i, up); // bytes 4i..4i+3
      for (var b = 0u; b < 4u; b++) {
        let byte = (word >> (8u * b)) & 0xffu;
        (*q)[4u * i + b] = f32(byte & 15u) - 8.0;
        (*q)[4u * i + b + 16u] = f32(byte >> 4u) - 8.0;
      }
    }
  }
  return weight_f16(at, up);
}
