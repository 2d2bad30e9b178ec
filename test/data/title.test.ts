import { describe, expect, it } from 'vitest';
import { displayTitle, readableTitle, splitTitleYear, trailingArticle } from '../../src/data/title.ts';
import { describeIntent } from '../../src/rec/chat/reply.ts';
import { titleVariants } from '../../src/rec/chat/text.ts';
import { CatalogState } from '../../src/state/catalog.svelte.ts';

describe('readableTitle: the trailing article goes back to the front', () => {
  it.each([
    ['Rock, The', 'The Rock'],
    ['Shawshank Redemption, The', 'The Shawshank Redemption'],
    ['Walk in the Clouds, A', 'A Walk in the Clouds'],
    ['Awfully Big Adventure, An', 'An Awfully Big Adventure'],
    ['Misérables, Les', 'Les Misérables'],
    ['Mariachi, El', 'El Mariachi'],
    ['Divo, Il', 'Il Divo'],
    ["Atalante, L'", "L'Atalante"],
    ['Baader Meinhof Komplex, Der', 'Der Baader Meinhof Komplex'],
    ['Hip Hop Witch, Da', 'Da Hip Hop Witch'],
    // every comma but the last one stays
    [
      'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il)',
      'The Good, the Bad and the Ugly (Il Buono, il brutto, il cattivo)',
    ],
    // alternative titles in parentheses, each on its own
    [
      'City of Lost Children, The (Cité des enfants perdus, La)',
      'The City of Lost Children (La Cité des enfants perdus)',
    ],
    ['Boot, Das (Boat, The)', 'Das Boot (The Boat)'],
    ["Man on the Train (Homme du train, L')", "Man on the Train (L'Homme du train)"],
    ['Macbeth (a.k.a. Tragedy of Macbeth, The)', 'Macbeth (a.k.a. The Tragedy of Macbeth)'],
    ['Trou, Le (Hole, The) (Night Watch, The)', 'Le Trou (The Hole) (The Night Watch)'],
    // before a subtitle; after a subtitle
    ['Crow, The: Wicked Prayer', 'The Crow: Wicked Prayer'],
    [
      'Lord of the Rings: The Fellowship of the Ring, The',
      'The Lord of the Rings: The Fellowship of the Ring',
    ],
  ])('%s → %s', (title, readable) => expect(readableTitle(title)).toBe(readable));

  it('leaves titles without a trailing article alone', () => {
    for (const title of [
      'Toy Story',
      'Seven (a.k.a. Se7en)',
      'I, Robot',
      'Paris, Texas',
      'Girl, Interrupted',
      'Cry, the Beloved Country',
      'Strike! (a.k.a. All I Wanna Do, The Hairy Bird)',
      'item 42',
    ])
      expect(readableTitle(title), title).toBe(title);
    // only the alternative title's own last comma counts
    expect(readableTitle('Tale of Two Sisters, A (Janghwa, Hongryeon)')).toBe(
      'A Tale of Two Sisters (Janghwa, Hongryeon)',
    );
  });

  it('splits the article off for the chat: "Crow, The: Wicked Prayer"', () => {
    expect(trailingArticle('Crow, The: Wicked Prayer')).toEqual({
      article: 'The',
      body: 'Crow: Wicked Prayer',
    });
    expect(trailingArticle('Paris, Texas')).toBeUndefined();
    expect(titleVariants("Atalante, L'")).toEqual(['latalante', 'atalante']);
  });
});

describe('displayTitle: one source of truth for every title the page shows or says', () => {
  const rock = { ...splitTitleYear('Rock, The (1996)'), id: 1, key: 'r', genres: [], tags: [] };

  it('adds the year to the readable title', () => {
    expect(rock).toMatchObject({ title: 'Rock, The', year: 1996 });
    expect(displayTitle(rock)).toBe('The Rock (1996)');
    expect(displayTitle({ title: 'Matrix, The' })).toBe('The Matrix');
  });

  it('the list, search and history (CatalogState.label) and the chat reply use it', async () => {
    const catalog = new CatalogState();
    await catalog.load(async () => ({ items: [rock], popularity: Int32Array.of(0, 1) }), 'one');
    expect(catalog.label('r')).toBe('The Rock (1996)');
    expect(catalog.label('zz')).toBe('item zz');
    const intent = { similarTo: [rock], concepts: { require: [], boost: [], demote: [], exclude: [] } };
    expect(describeIntent(intent as unknown as Parameters<typeof describeIntent>[0])).toEqual([
      'like The Rock (1996)',
    ]);
  });
});
