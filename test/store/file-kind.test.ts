import { describe, expect, it } from 'vitest';
import { classifyPicked, UnsupportedFileError } from '../../src/store/file-kind.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('classifyPicked', () => {
  it('recognises a GGUF by its magic, whatever its name', () => {
    expect(classifyPicked([{ name: 'model.bin', head: text('GGUF\x03\0\0\0') }])).toBe('gguf');
  });

  it('recognises a SASRec bundle by its file names', () => {
    const bundle = ['manifest.json', 'weights.safetensors', 'items.json'].map((name) => ({
      name,
      head: text('{'),
    }));
    expect(classifyPicked(bundle)).toBe('sasrec-bundle');
  });

  it('recognises an interactions CSV', () => {
    expect(classifyPicked([{ name: 'ratings.csv', head: text('userId,movieId\n1,2') }])).toBe('csv');
  });

  it('refuses anything else, naming the accepted types', () => {
    const png = { name: 'photo.png', head: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    expect(() => classifyPicked([png])).toThrow(UnsupportedFileError);
    expect(() => classifyPicked([png])).toThrow(/photo\.png: not a file .* GGUF .* SASRec bundle .* CSV/);
    expect(() => classifyPicked([{ name: 'fake.csv', head: new Uint8Array([0x50, 0, 0x4e]) }])).toThrow(
      UnsupportedFileError,
    );
    expect(() => classifyPicked([])).toThrow(/No file was given/);
  });
});
