/**
 * Chat prompts: the model's own chat template (GGUF `tokenizer.chat_template` or
 * tokenizer_config.json `chat_template`, a Jinja template) rendered with `@huggingface/jinja`, or a
 * plain "role: content" layout when the model has no template.
 */
import { Template } from '@huggingface/jinja';
import type { GgufFile } from './load/gguf.ts';

/** A chat template does not parse or does not render (its error in the message). */
export class ChatTemplateError extends Error {
  override name = 'ChatTemplateError';
}

/** One chat turn. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a template may refer to besides the messages. */
export interface ChatTemplateContext {
  /** the Jinja template; null → the plain layout */
  template: string | null;
  bosText?: string;
  eosText?: string;
  /** end with the opening of the assistant's turn (default true) */
  addGenerationPrompt?: boolean;
}

/** Plain layout: "role: content" lines, then "assistant:" when a reply is wanted. */
export function plainChatPrompt(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
  const lines = messages.map((m) => `${m.role}: ${m.content}\n`).join('');
  return addGenerationPrompt ? `${lines}assistant:` : lines;
}

/** The prompt text for `messages` under the model's template (or the plain layout). */
export function applyChatTemplate(messages: readonly ChatMessage[], context: ChatTemplateContext): string {
  const addGenerationPrompt = context.addGenerationPrompt ?? true;
  if (context.template === null) return plainChatPrompt(messages, addGenerationPrompt);
  let template: Template;
  try {
    template = new Template(context.template);
  } catch (error) {
    throw new ChatTemplateError(`the model's chat template does not parse: ${(error as Error).message}`);
  }
  try {
    return template.render({
      messages: messages.map((m) => ({ ...m })),
      bos_token: context.bosText ?? '',
      eos_token: context.eosText ?? '',
      add_generation_prompt: addGenerationPrompt,
    });
  } catch (error) {
    throw new ChatTemplateError(`the model's chat template failed to render: ${(error as Error).message}`);
  }
}

/** The chat template a GGUF file carries (`tokenizer.chat_template`), or null. */
export function chatTemplateFromGguf(file: GgufFile): string | null {
  const value = file.metadata.get('tokenizer.chat_template');
  return typeof value === 'string' ? value : null;
}
