import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ChatTemplateError,
  applyChatTemplate,
  chatTemplateFromGguf,
  plainChatPrompt,
  type ChatMessage,
} from '../../src/llm/chat-template.ts';
import { parseGguf } from '../../src/llm/load/gguf.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { meta } from './gguf-writer.ts';
import { tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];
const TAGGED =
  '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}' +
  '{% if add_generation_prompt %}[assistant]{% endif %}';

describe('chat templates', () => {
  it('renders a Jinja template with bos_token and add_generation_prompt', () => {
    expect(applyChatTemplate(MESSAGES, { template: TAGGED, bosText: '<s>' })).toBe(
      '<s>[system]Be brief.[user]Hi[assistant]',
    );
    expect(applyChatTemplate(MESSAGES, { template: TAGGED, addGenerationPrompt: false })).toBe(
      '[system]Be brief.[user]Hi',
    );
  });

  it('falls back to the plain layout without a template', () => {
    const want = 'system: Be brief.\nuser: Hi\nassistant:';
    expect(applyChatTemplate(MESSAGES, { template: null })).toBe(want);
    expect(plainChatPrompt(MESSAGES, false)).toBe('system: Be brief.\nuser: Hi\n');
  });

  it('reads tokenizer.chat_template from GGUF metadata (null when absent)', () => {
    const weights = tinyLlamaWeights(3);
    const withTemplate = parseGguf(tinyLlamaGguf(weights, [['tokenizer.chat_template', meta.str(TAGGED)]]));
    expect(chatTemplateFromGguf(withTemplate)).toBe(TAGGED);
    expect(chatTemplateFromGguf(parseGguf(tinyLlamaGguf(weights)))).toBeNull();
  });

  it('names templates that do not parse or render', () => {
    expect(() => applyChatTemplate(MESSAGES, { template: '{% for m in messages %}' })).toThrow(
      ChatTemplateError,
    );
    expect(() =>
      applyChatTemplate(MESSAGES, { template: '{{ raise_exception("no system role") }}' }),
    ).toThrow(/failed to render/);
  });
});

const LLAMA3_CONFIG = resolve(
  import.meta.dirname,
  '../../../shared/models/llama3-tokenizer/tokenizer_config.json',
);
const noLlama3 = requireOrSkip(
  existsSync(LLAMA3_CONFIG),
  `Llama 3 tokenizer_config.json not found at ${LLAMA3_CONFIG}`,
);

describe.skipIf(noLlama3)('the Llama 3 chat template', () => {
  it('renders the header/eot layout written out by hand', () => {
    const config = JSON.parse(readFileSync(LLAMA3_CONFIG, 'utf8')) as { chat_template: string };
    const prompt = applyChatTemplate(MESSAGES, {
      template: config.chat_template,
      bosText: '<|begin_of_text|>',
    });
    expect(prompt).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });
});
