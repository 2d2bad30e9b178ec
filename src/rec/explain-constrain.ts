/**
 * Constrained decoding for explanations: while the model is inside a "[…]" span, only tokens that
 * continue some allowed fact string (a title or concept from the facts) are allowed, through a
 * token trie over the tokenised fact strings; a complete fact may be closed with "]". Outside spans
 * the model writes freely, and the post-check (`checkExplanation`) rejects any catalog title or
 * concept named without brackets that is not a fact.
 */

/** Encodes text to token ids with BOS first (LanguageModel.encode). */
export type Encode = (text: string) => Int32Array;

/** A fact string could not be tokenised the way spans need; it is left out of the trie. */
export class SpanTokenizationError extends Error {
  override name = 'SpanTokenizationError';
}

interface TrieNode {
  children: Map<number, TrieNode>;
  /** a fact string ends here */
  terminal: boolean;
}

/** Token ids of span markers and the trie of allowed fact strings. */
export interface SpanConstraint {
  /** the token that opens a span ("[") */
  openId: number;
  /** the token that closes a span ("]") */
  closeId: number;
  root: TrieNode;
  /** fact strings that made it into the trie */
  facts: string[];
}

/** Token ids of `s` written inside a span: encode("[" + s + "]") between the "[" and the "]". */
function spanBody(encode: Encode, s: string, openPrefix: Int32Array, closeId: number): number[] {
  const full = Array.from(encode(`[${s}]`));
  const startsRight = openPrefix.every((id, i) => full[i] === id);
  if (!startsRight || full[full.length - 1] !== closeId || full.length <= openPrefix.length + 1) {
    throw new SpanTokenizationError(
      `"[${s}]" does not tokenise as "[" + body + "]" with this tokenizer; the fact cannot be constrained`,
    );
  }
  return full.slice(openPrefix.length, -1);
}

/** Build the trie over `facts` (titles and concept labels) for the model's tokenizer. */
export function buildSpanConstraint(encode: Encode, facts: readonly string[]): SpanConstraint {
  const openPrefix = encode('['); // [BOS, (space), "["]
  const empty = encode('[]');
  const openId = openPrefix[openPrefix.length - 1];
  const closeId = empty[empty.length - 1];
  if (openId === closeId)
    throw new SpanTokenizationError('"[" and "]" share a token: spans cannot be tracked');
  const root: TrieNode = { children: new Map(), terminal: false };
  const kept: string[] = [];
  for (const fact of new Set(facts)) {
    let body: number[];
    try {
      body = spanBody(encode, fact, openPrefix, closeId);
    } catch (error) {
      if (error instanceof SpanTokenizationError) continue;
      throw error;
    }
    if (body.includes(closeId) || body.includes(openId)) continue;
    let node = root;
    for (const id of body) {
      let next = node.children.get(id);
      if (!next) node.children.set(id, (next = { children: new Map(), terminal: false }));
      node = next;
    }
    node.terminal = true;
    kept.push(fact);
  }
  return { openId, closeId, root, facts: kept };
}

/**
 * The `allowedTokens` hook: null (anything) outside spans; inside, the trie's continuations plus
 * "]" after a complete fact. `firstSpan`: the prompt itself ends with "[" and this trie (e.g. the
 * driver titles after "Because you watched [") constrains that first span; later spans use the
 * whole fact trie. Both tries must come from `buildSpanConstraint` with the same tokenizer.
 */
export function spanMask(
  constraint: SpanConstraint,
  firstSpan?: SpanConstraint,
): (generated: readonly number[]) => Int32Array | null {
  const { openId, closeId, root } = constraint;
  return (generated) => {
    let node: TrieNode | null = firstSpan ? firstSpan.root : null;
    let spanRoot = node ?? root;
    for (const id of generated) {
      if (node === null) {
        if (id === openId) node = spanRoot = root;
      } else if (id === closeId) {
        node = null;
      } else {
        node = node.children.get(id) ?? spanRoot; // off-trie only if a runtime ignored the mask
      }
    }
    if (node === null) return null;
    const allowed = [...node.children.keys()];
    if (node.terminal) allowed.push(closeId);
    return Int32Array.from(allowed.length > 0 ? allowed : [closeId]); // [allowed]
  };
}
