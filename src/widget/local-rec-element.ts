/**
 * `<local-rec>`: a recommendations box for any page (Shadow DOM; its styles stay inside).
 *
 * Attributes: `model` (a model id on the widget's origin; default: its registry default),
 * `catalog` (catalog.bin URL, relative to the host page; default: the model's own catalog),
 * `count` (items shown, 1…50; absurd values are clamped with a console warning and a visible
 * note), `theme` (`light` | `dark`).
 * Host API: `el.history = ['<item key>', …]` (oldest first) replaces the visitor's viewed items;
 * `el.addViewed(key)` appends one.
 * Events (bubbling, composed): `local-rec:ready` (detail {modelId, backend, itemCount}) once the
 * model and catalog are loaded; `local-rec:select` (detail {key, title}) when an item is clicked;
 * `local-rec:error` (detail {message}) when set-up fails.
 */
import { mount, unmount } from 'svelte';
import { parseCount, parseTheme } from './attributes.ts';
import { parseHistoryInput, parseItemKey } from './history-input.ts';
import { sharedSasrecClient } from './shared-worker.ts';
import { planWidget } from './widget-plan.ts';
import { WidgetState } from './widget-state.svelte.ts';
import WidgetView from './WidgetView.svelte';

/** detail of `local-rec:select` */
export interface LocalRecSelectDetail {
  key: string;
  /** the title as the widget shows it, without the year ("The Rock", not the catalog's "Rock, The") */
  title: string;
}

/** detail of `local-rec:ready` */
export interface LocalRecReadyDetail {
  modelId: string;
  backend: string;
  itemCount: number;
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Build the element class for widget.js served from `widgetBase` (its directory URL). */
export function createLocalRecElement(widgetBase: string): CustomElementConstructor {
  return class LocalRecElement extends HTMLElement {
    static observedAttributes = ['model', 'catalog', 'count', 'theme'];
    readonly #state = new WidgetState(sharedSasrecClient().requester());
    #view: ReturnType<typeof mount> | undefined;
    #loadedFor: string | undefined;

    /** The visitor's viewed item keys, oldest first. */
    get history(): string[] {
      return [...this.#state.history.keys];
    }
    /** Throws WidgetInputError (also shown in the widget) unless `keys` is a list of item keys. */
    set history(keys: Iterable<string | number>) {
      this.#state.setHistory(this.#checked(() => parseHistoryInput(keys)));
    }

    /** Append one viewed item key (ignored when already in the history); throws WidgetInputError on a non-key. */
    addViewed(key: string | number): void {
      this.#state.history.add(this.#checked(() => parseItemKey(key, 'addViewed(key)')));
    }

    /** `parse()`'s value (clearing a shown input error), or its error shown in the widget and rethrown. */
    #checked<T>(parse: () => T): T {
      try {
        const value = parse();
        this.#state.inputError = undefined;
        return value;
      } catch (error) {
        this.#state.inputError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    }

    connectedCallback(): void {
      this.#upgradeHistoryProperty();
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      this.#view ??= mount(WidgetView, {
        target: root,
        props: {
          widget: this.#state,
          onselect: (key: string, title: string) => this.#emit('local-rec:select', { key, title }),
        },
      });
      this.#applySettings();
      void this.#load();
    }

    disconnectedCallback(): void {
      if (this.#view) void unmount(this.#view);
      this.#view = undefined;
      this.shadowRoot?.replaceChildren();
    }

    attributeChangedCallback(name: string): void {
      if (!this.isConnected) return;
      if (name === 'count' || name === 'theme') this.#applySettings();
      else void this.#load();
    }

    /** A host that set `el.history` before widget.js defined the element left an own property shadowing the setter. */
    #upgradeHistoryProperty(): void {
      if (!Object.prototype.hasOwnProperty.call(this, 'history')) return;
      const early = (this as unknown as { history: Iterable<string | number> }).history;
      delete (this as unknown as { history?: unknown }).history;
      try {
        this.history = early;
      } catch (error) {
        console.error(error); // no caller to throw to at upgrade time; the widget shows it too
      }
    }

    #applySettings(): void {
      const count = parseCount(this.getAttribute('count'));
      const theme = parseTheme(this.getAttribute('theme'));
      const notes = [count.note, theme.note].filter((n): n is string => n !== undefined);
      for (const note of notes) console.warn(`<local-rec>: ${note}`);
      this.#state.count = count.value;
      this.#state.theme = theme.value;
      this.#state.notes = notes;
    }

    async #load(): Promise<void> {
      const wanted = `${this.getAttribute('model')}|${this.getAttribute('catalog')}`;
      if (this.#loadedFor === wanted) return;
      this.#loadedFor = wanted;
      const state = this.#state;
      try {
        state.error = undefined;
        const plan = await planWidget(
          {
            widgetBase,
            pageBase: document.baseURI,
            model: this.getAttribute('model'),
            catalog: this.getAttribute('catalog'),
          },
          fetchJson,
        );
        await state.load(plan);
        if (this.#loadedFor !== wanted) return;
        const model = state.recommender.model;
        if (state.ready && model) {
          this.#emit('local-rec:ready', {
            modelId: model.modelId,
            backend: model.backend,
            itemCount: model.itemCount,
          });
          return;
        }
      } catch (error) {
        state.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      this.#emit('local-rec:error', { message: state.problem ?? 'unknown problem' });
    }

    #emit(type: string, detail: object): void {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    }
  };
}
