import { describe, expect, it } from 'vitest';
import {
  FrameConfigError,
  MAX_FRAME_HISTORY,
  connectFrameBridge,
  parseFrameSettings,
  parseHostMessage,
  type FrameWidget,
  type FrameWindow,
} from '../../src/widget/frame-bridge.ts';

const HOST = 'https://shop.example';

/** A frame window whose parent records what is posted to it. */
class FakeFrameWindow extends EventTarget implements FrameWindow {
  readonly posted: { message: unknown; targetOrigin: string }[] = [];
  readonly parent = {
    postMessage: (message: unknown, targetOrigin: string) => this.posted.push({ message, targetOrigin }),
  };
  /** Deliver a message event as the browser would. */
  receive(data: unknown, origin: string, source: unknown = this.parent): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data, origin, source }));
  }
}

/** A widget that records what the bridge did to it. */
class FakeWidget extends EventTarget implements FrameWidget {
  history: Iterable<string> = [];
  readonly added: string[] = [];
  addViewed(key: string): void {
    this.added.push(key);
  }
}

describe('parseFrameSettings', () => {
  it('reads the parent origin and the attributes present', () => {
    expect(parseFrameSettings('?parent=https://shop.example/any/path&count=-5&theme=neon')).toEqual({
      parentOrigin: HOST,
      attributes: { count: '-5', theme: 'neon' },
    });
  });

  it('refuses a missing, wildcard or non-http parent with FrameConfigError', () => {
    for (const search of [
      '',
      '?parent=*',
      '?parent=javascript:alert(1)',
      '?parent=file:///etc',
      '?parent=data:,x',
    ]) {
      expect(() => parseFrameSettings(search)).toThrow(FrameConfigError);
    }
    expect(() => parseFrameSettings('')).toThrow(/needs \?parent=<origin of the host page>/);
  });
});

describe('parseHostMessage', () => {
  it('accepts the two host messages and nothing else', () => {
    expect(parseHostMessage({ type: 'local-rec:history', keys: ['1', '2'] })).toEqual({
      type: 'local-rec:history',
      keys: ['1', '2'],
    });
    expect(parseHostMessage({ type: 'local-rec:add-viewed', key: '6' })).toEqual({
      type: 'local-rec:add-viewed',
      key: '6',
    });
    for (const bad of [
      null,
      'local-rec:history',
      { type: 'local-rec:history', keys: [1, 2] },
      { type: 'local-rec:history', keys: Array(MAX_FRAME_HISTORY + 1).fill('1') },
      { type: 'local-rec:add-viewed', key: '' },
      { type: 'local-rec:select', detail: {} },
    ]) {
      expect(parseHostMessage(bad)).toBeUndefined();
    }
  });
});

describe('connectFrameBridge', () => {
  it('announces itself to the parent origin only', () => {
    const win = new FakeFrameWindow();
    connectFrameBridge(win, new FakeWidget(), HOST);
    expect(win.posted).toEqual([{ message: { type: 'local-rec:frame-ready' }, targetOrigin: HOST }]);
  });

  it('applies host messages from the parent origin and ignores other origins and sources', () => {
    const win = new FakeFrameWindow();
    const widget = new FakeWidget();
    connectFrameBridge(win, widget, HOST);
    win.receive({ type: 'local-rec:history', keys: ['1', '2'] }, 'https://evil.example');
    win.receive({ type: 'local-rec:history', keys: ['1', '2'] }, HOST, { postMessage() {} }); // not the parent
    expect([...widget.history]).toEqual([]);
    win.receive({ type: 'local-rec:history', keys: ['1', '2'] }, HOST);
    win.receive({ type: 'local-rec:add-viewed', key: '6' }, HOST);
    win.receive({ type: 'local-rec:add-viewed', key: '7' }, 'http://shop.example'); // other scheme
    expect([...widget.history]).toEqual(['1', '2']);
    expect(widget.added).toEqual(['6']);
  });

  it('forwards the element events to the parent origin and stops when disconnected', () => {
    const win = new FakeFrameWindow();
    const widget = new FakeWidget();
    const disconnect = connectFrameBridge(win, widget, HOST);
    widget.dispatchEvent(
      new CustomEvent('local-rec:select', { detail: { key: '2', title: 'Jumanji (1995)' } }),
    );
    widget.dispatchEvent(new CustomEvent('local-rec:other', { detail: 1 }));
    expect(win.posted.slice(1)).toEqual([
      {
        message: { type: 'local-rec:select', detail: { key: '2', title: 'Jumanji (1995)' } },
        targetOrigin: HOST,
      },
    ]);
    disconnect();
    widget.dispatchEvent(new CustomEvent('local-rec:error', { detail: { message: 'x' } }));
    win.receive({ type: 'local-rec:add-viewed', key: '6' }, HOST);
    expect(win.posted).toHaveLength(2);
    expect(widget.added).toEqual([]);
  });
});
