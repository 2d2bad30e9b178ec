import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  LocalRecError,
  ModelLoadError,
  RemoteError,
  registerErrorClass,
  reviveError,
  serializeError,
} from '../../src/protocol/errors.ts';

class ShapeMismatchError extends LocalRecError {
  override name = 'ShapeMismatchError';
}

describe('serializeError / reviveError', () => {
  it('round-trips a built-in named error as the same class, with message and details', () => {
    const wire = serializeError(
      new ModelLoadError('manifest.json: 404', { url: '/m/manifest.json', status: 404 }),
    );
    expect(wire).toEqual({
      name: 'ModelLoadError',
      message: 'manifest.json: 404',
      details: { url: '/m/manifest.json', status: 404 },
    });
    const back = reviveError(structuredClone(wire));
    expect(back).toBeInstanceOf(ModelLoadError);
    expect(back).toBeInstanceOf(LocalRecError);
    expect(back.name).toBe('ModelLoadError');
    expect((back as ModelLoadError).details).toEqual({ url: '/m/manifest.json', status: 404 });
  });

  it('rebuilds a class registered from elsewhere', () => {
    registerErrorClass(ShapeMismatchError);
    const back = reviveError(serializeError(new ShapeMismatchError('bad shape')));
    expect(back).toBeInstanceOf(ShapeMismatchError);
    expect(back.message).toBe('bad shape');
  });

  it('refuses a second class under an existing name', () => {
    const Other = class extends LocalRecError {
      override name = 'CancelledError';
    };
    expect(() => registerErrorClass(Other)).toThrow(/already registered/);
    expect(() => registerErrorClass(CancelledError)).not.toThrow();
  });

  it('keys the registry by the declared name, not the (minifiable) constructor name', () => {
    const Minified = class e extends LocalRecError {
      override name = 'DeclaredNameError';
    };
    registerErrorClass(Minified);
    expect(reviveError({ name: 'DeclaredNameError', message: 'm' })).toBeInstanceOf(Minified);
    expect(reviveError({ name: 'e', message: 'm' })).toBeInstanceOf(RemoteError);
  });

  it('keeps an unknown name in a RemoteError', () => {
    const back = reviveError({ name: 'TypeError', message: 'x is not a function' });
    expect(back).toBeInstanceOf(RemoteError);
    expect((back as RemoteError).remoteName).toBe('TypeError');
    expect(back.message).toBe('x is not a function');
  });

  it('turns non-Error throws and uncloneable details into plain data', () => {
    expect(serializeError('boom')).toEqual({ name: 'Error', message: 'boom' });
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const wire = serializeError(new ModelLoadError('cyclic', cyclic));
    expect(() => structuredClone(wire)).not.toThrow();
    expect(typeof wire.details).toBe('string');
  });
});
