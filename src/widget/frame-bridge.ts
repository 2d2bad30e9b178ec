/**
 * Iframe mode of the widget (public/embed-frame.html): for hosts that prefer isolation, the
 * `<local-rec>` element runs in a frame on the widget's origin and talks to the host page by
 * postMessage only.
 *
 * Frame URL: `embed-frame.html?parent=<host origin>&count=…&theme=…&model=…&catalog=…`
 * (`parent` is required: the only origin whose messages are accepted and the only target the
 * frame posts to; `catalog` is relative to the frame, i.e. the widget's origin).
 * Host → frame: `{ type: 'local-rec:history', keys: string[] }` (replaces the viewed items, oldest
 * first) and `{ type: 'local-rec:add-viewed', key: string }`.
 * Frame → host: `{ type: 'local-rec:frame-ready' }` once it listens (send the history after it),
 * then `local-rec:ready` / `local-rec:select` / `local-rec:error` with the element's event detail.
 */
import { z } from 'zod';
import { LocalRecError } from '../protocol/errors.ts';
import { MAX_KEY_LENGTH } from './history-input.ts';

/** The frame URL lacks a usable `parent` origin. */
export class FrameConfigError extends LocalRecError {
  override name = 'FrameConfigError';
}

/** Element attributes the frame URL may set. */
export const FRAME_ATTRIBUTES = ['model', 'catalog', 'count', 'theme'] as const;

/** What the frame URL says. */
export interface FrameSettings {
  /** the host page's origin, e.g. "https://shop.example" */
  parentOrigin: string;
  /** attribute name → raw value, only those present in the URL */
  attributes: Partial<Record<(typeof FRAME_ATTRIBUTES)[number], string>>;
}

/** Events of the element forwarded to the host. */
export const FORWARDED_EVENTS = ['local-rec:ready', 'local-rec:select', 'local-rec:error'] as const;

/** The longest history a host may send in one message (the model reads only its last maxLen). */
export const MAX_FRAME_HISTORY = 10_000;

const keySchema = z.string().min(1).max(MAX_KEY_LENGTH);
const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local-rec:history'), keys: z.array(keySchema).max(MAX_FRAME_HISTORY) }),
  z.object({ type: z.literal('local-rec:add-viewed'), key: keySchema }),
]);

/** A validated message from the host page. */
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Reads the frame's query string (`location.search`). */
export function parseFrameSettings(search: string): FrameSettings {
  const params = new URLSearchParams(search);
  const raw = params.get('parent');
  let origin: string | undefined;
  try {
    const url = new URL(raw ?? '');
    if (url.protocol === 'https:' || url.protocol === 'http:') origin = url.origin;
  } catch {
    origin = undefined;
  }
  if (!origin || origin === 'null') {
    throw new FrameConfigError(
      `embed-frame.html needs ?parent=<origin of the host page> (e.g. ?parent=https://shop.example), got ${JSON.stringify(raw)}; ` +
        'messages from any other origin are ignored.',
    );
  }
  const attributes: FrameSettings['attributes'] = {};
  for (const name of FRAME_ATTRIBUTES) {
    const value = params.get(name);
    if (value !== null) attributes[name] = value;
  }
  return { parentOrigin: origin, attributes };
}

/** The host message in `data`, or undefined when it is not one (wrong shape or type). */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const parsed = hostMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The parts of `<local-rec>` the bridge drives. */
export interface FrameWidget extends EventTarget {
  history: Iterable<string>;
  addViewed(key: string): void;
}

/** The parts of the frame's window the bridge uses. */
export interface FrameWindow extends EventTarget {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
}

/**
 * Connects `widget` to the host page: host messages are accepted only from `parentOrigin` and
 * from the parent window itself; the element's events go to the parent at `parentOrigin` only.
 * Returns a function that disconnects the bridge.
 */
export function connectFrameBridge(win: FrameWindow, widget: FrameWidget, parentOrigin: string): () => void {
  const onMessage = (event: Event) => {
    const { origin, source, data } = event as MessageEvent;
    if (origin !== parentOrigin || source !== win.parent) return;
    const message = parseHostMessage(data);
    if (message?.type === 'local-rec:history') widget.history = message.keys;
    else if (message?.type === 'local-rec:add-viewed') widget.addViewed(message.key);
    else console.warn('local-rec frame: ignored a message that is not a local-rec host message', data);
  };
  const forward = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    win.parent.postMessage({ type: event.type, detail }, parentOrigin);
  };
  win.addEventListener('message', onMessage);
  for (const type of FORWARDED_EVENTS) widget.addEventListener(type, forward);
  win.parent.postMessage({ type: 'local-rec:frame-ready' }, parentOrigin);
  return () => {
    win.removeEventListener('message', onMessage);
    for (const type of FORWARDED_EVENTS) widget.removeEventListener(type, forward);
  };
}

/**
 * Entry used by embed-frame.html: reads the URL, creates `<local-rec>` with the attributes it
 * names and bridges it to the parent. On a bad URL it shows the error in the frame instead.
 */
export function startFrameBridge(doc: Document = document): void {
  const win = doc.defaultView;
  if (!win) return;
  let settings: FrameSettings;
  try {
    settings = parseFrameSettings(win.location.search);
  } catch (error) {
    const p = doc.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    doc.body.append(p);
    return;
  }
  const element = doc.createElement('local-rec') as HTMLElement & FrameWidget;
  for (const [name, value] of Object.entries(settings.attributes)) element.setAttribute(name, value);
  connectFrameBridge(win, element, settings.parentOrigin);
  doc.body.append(element);
}
