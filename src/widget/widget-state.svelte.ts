/**
 * Reactive state of one `<local-rec>`: the shared page state classes (catalog, in-memory history
 * fed by the host page, recommender on the shared worker) plus the widget's own settings.
 */
import { CatalogState } from '../state/catalog.svelte.ts';
import { HistoryState } from '../state/history.svelte.ts';
import { RecommenderState, type SasrecRequester } from '../state/recommender.svelte.ts';
import { loadCatalog } from '../state/startup.ts';
import { COUNT_DEFAULT, COUNT_MAX, type Theme } from './attributes.ts';
import type { WidgetPlan } from './widget-plan.ts';

/** One widget's state; the element writes settings, WidgetView reads everything. */
export class WidgetState {
  theme = $state<Theme>('light');
  /** items shown (already clamped) */
  count = $state(COUNT_DEFAULT);
  /** visible notes about attributes that were clamped or replaced */
  notes = $state.raw<string[]>([]);
  /** a set-up problem (bad model id, unreachable registry) */
  error = $state<string | undefined>();
  /** the host's last history input was refused (WidgetInputError message) */
  inputError = $state<string | undefined>();
  readonly catalog = new CatalogState();
  /** the visitor's viewed items, fed by the host page; never persisted by the widget */
  readonly history = new HistoryState(null);
  readonly recommender: RecommenderState;

  /** `client` = this widget's requester on the shared worker. */
  constructor(client: SasrecRequester) {
    // rank the most a widget may show; `count` only slices, so changing it needs no new request
    this.recommender = new RecommenderState(client, COUNT_MAX);
  }

  /** Replace the viewed items (oldest first). */
  setHistory(keys: readonly string[]): void {
    this.history.clear();
    for (const key of keys) this.history.add(key);
  }

  /** Load the catalog and the model of `plan`; resolves when both are done (check `ready`). */
  async load(plan: WidgetPlan): Promise<void> {
    await Promise.all([
      this.catalog.load(loadCatalog, plan.catalogUrl),
      this.recommender.load(plan.modelUrl, 'auto'),
    ]);
  }

  /** True when catalog and model are loaded. */
  get ready(): boolean {
    return this.catalog.status === 'ready' && this.recommender.model !== undefined;
  }

  /** The first problem to show, if any. */
  get problem(): string | undefined {
    if (this.error) return this.error;
    if (this.inputError) return this.inputError;
    if (this.catalog.status === 'error') return `Catalog: ${this.catalog.error}`;
    if (this.recommender.status === 'error') return this.recommender.error;
    return undefined;
  }
}
