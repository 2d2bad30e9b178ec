/**
 * A Hugging Face byte-level BPE `tokenizer.json` (model type "BPE", e.g. Llama 3's) as a
 * BpeVocabulary, the way llama.cpp's converter fills GGUF: token texts by id, merges in file order,
 * added special tokens as control tokens, other added tokens as user-defined.
 */
import type { BpeVocabulary } from '../bpe-tokenizer.ts';
import { TokenizerFormatError } from './errors.ts';
import { TokenKind } from './tokenizer-files.ts';

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

interface BpeTokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[] };
  added_tokens?: AddedToken[];
}

/**
 * @param json tokenizer.json text
 * @param special the pre-tokenizer name (`tokenizer.ggml.pre`) and the BOS / EOS token texts
 * @throws TokenizerFormatError when the file is not a byte-level BPE tokenizer.json or a text is absent
 */
export function bpeVocabularyFromTokenizerJson(
  json: string,
  special: { pre: string; bos: string; eos: string; addBos?: boolean },
): BpeVocabulary {
  const parsed = JSON.parse(json) as BpeTokenizerJson;
  if (parsed.model?.type !== 'BPE' || typeof parsed.model.vocab !== 'object') {
    throw new TokenizerFormatError('tokenizer.json: expected a model of type "BPE" with a vocab');
  }
  const added = parsed.added_tokens ?? [];
  const size =
    [...Object.values(parsed.model.vocab), ...added.map((t) => t.id)].reduce((a, b) => Math.max(a, b), -1) +
    1;
  const tokens = Array.from({ length: size }, (_, id) => `[PAD${id}]`); // [vocab]
  const kinds = new Uint8Array(size).fill(TokenKind.unused); // [vocab]
  for (const [text, id] of Object.entries(parsed.model.vocab))
    [tokens[id], kinds[id]] = [text, TokenKind.normal];
  for (const t of added)
    [tokens[t.id], kinds[t.id]] = [t.content, t.special ? TokenKind.control : TokenKind.userDefined];
  const idOf = (text: string) => {
    const id = tokens.indexOf(text);
    if (id < 0) throw new TokenizerFormatError(`tokenizer.json has no token "${text}"`);
    return id;
  };
  return {
    tokens,
    merges: parsed.model.merges.map((m) => (typeof m === 'string' ? m : m.join(' '))),
    kinds,
    bos: idOf(special.bos),
    eos: idOf(special.eos),
    pre: special.pre,
    addBos: special.addBos ?? true,
  };
}
