/**
 * The shapes every data reader produces and every consumer (training CLI, eval, page) relies on.
 * Readers return raw records with the data set's original keys as strings; the dataset builder
 * (`build.ts`) turns them into dense item ids 1..N (0 = padding) and per-user sequences.
 */

/** One user–item event as read from a file, with the file's original keys. */
export interface Interaction {
  /** original user key, e.g. "42" */
  user: string;
  /** original item key, e.g. a MovieLens movieId "318" or an ASIN */
  item: string;
  /** explicit rating when the format has one (MovieLens: 0.5–5) */
  rating?: number;
  /** Unix seconds when the format has one; without it, file order is time order */
  timestamp?: number;
}

/** Item metadata as read from a movies file (before dense ids exist). */
export interface ItemMeta {
  /** original item key */
  key: string;
  /** title without the trailing "(year)" */
  title: string;
  /** release year parsed from a trailing "(1995)", if present */
  year?: number;
  genres: string[];
}

/** One free-text tag a user attached to an item (MovieLens tags.csv). */
export interface TagRecord {
  user: string;
  item: string;
  tag: string;
  timestamp?: number;
}

/** One catalog entry; `id` is the dense id used by models (1..N). */
export interface CatalogItem {
  /** dense id, 1..N; `dataset.items[i].id === i + 1` */
  id: number;
  /** original key (what `items.json` of a model stores) */
  key: string;
  /** title without year, e.g. "Toy Story" */
  title: string;
  year?: number;
  genres: string[];
  /** most frequent user tags, most frequent first (may be empty) */
  tags: string[];
}

/** A data set ready for training and evaluation. */
export interface Dataset {
  /** short name, e.g. "ml-latest-small" */
  name: string;
  /** catalog, items[i].id === i + 1; length N */
  items: CatalogItem[];
  /** per user, dense item ids in time order; [users][len_u] */
  sequences: Int32Array[];
  /** original user key per sequence; [users] */
  userKeys: string[];
  /** ratings parallel to `sequences` when the source has them; [users][len_u] */
  ratings?: Float32Array[];
  /** interaction count per dense id, index 0 (padding) = 0; [N + 1] */
  popularity: Int32Array;
}
