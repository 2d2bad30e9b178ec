/** SHA-256 of bytes as lower-case hex (crypto.subtle: pages, workers and Node 20). */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)); // [32]
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
