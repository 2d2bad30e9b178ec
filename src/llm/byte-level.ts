/**
 * GPT-2's byte-level alphabet, used by byte-level BPE vocabularies (GPT-2, Llama 3, Qwen2,
 * SmolLM): every byte value is spelled as one printable character, so a token's text is a string of
 * such characters. Printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards
 * in byte order.
 */

const printable = (b: number): boolean =>
  (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);

/** Character of each byte value [256]. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const chars: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) chars.push(String.fromCodePoint(printable(b) ? b : 256 + shifted++));
  return chars;
})();

/** Byte value of each byte-level character (inverse of BYTE_TO_CHAR). */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, b) => [ch, b]));

const encoder = new TextEncoder();

/** The byte-level spelling of `text`'s UTF-8 bytes. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

/** The bytes a byte-level token text stands for; characters outside the alphabet give their UTF-8. */
export function fromByteLevel(piece: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of piece) {
    const byte = CHAR_TO_BYTE.get(ch);
    if (byte !== undefined) bytes.push(byte);
    else bytes.push(...encoder.encode(ch));
  }
  return Uint8Array.from(bytes);
}
