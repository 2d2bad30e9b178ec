/**
 * How an instruction becomes a prompt for the model in use. The rec-tuned model (and any model
 * without a chat template, e.g. stories260K) reads the instruction as plain text followed by the
 * start of the answer; a chat GGUF (a `tokenizer.chat_template`) gets the instruction as the user's
 * turn, rendered with its own template, and the answer starts the assistant's turn. The explanation
 * verbaliser, the chat command picker and the title re-ranker all build their prompts through one.
 */
import { applyChatTemplate } from '../llm/chat-template.ts';

/** `instruction` + the opening of the answer the model continues → the prompt text. */
export type PromptWrap = (instruction: string, answerStart: string) => string;

/** Plain text: the instruction, a newline, the answer's opening. */
export const plainWrap: PromptWrap = (instruction, answerStart) => `${instruction}\n${answerStart}`;

/**
 * The model's chat template around the instruction (BOS left to the tokenizer, which adds it),
 * or the plain layout when the model has no template (`template` null).
 */
export function promptWrapFor(template: string | null): PromptWrap {
  if (template === null) return plainWrap;
  return (instruction, answerStart) =>
    applyChatTemplate([{ role: 'user', content: instruction }], { template, bosText: '' }) + answerStart;
}
