/**
 * Writes public/data/ml-latest-small/catalog.bin (the page's catalog: titles, years, genres, top
 * tags, popularity) from the bundled ml-latest-small CSVs in the same directory.
 *
 *   npx tsx models/tools/pack-data.ts [--dir public/data/ml-latest-small]
 *
 * Deterministic: the same CSVs always give the same bytes (dense ids by movieId order).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packCatalog, unpackCatalog } from '../../src/data/catalog-binary.ts';
import { detectDataSource } from '../../src/data/node/detect.ts';
import { loadDataSource } from '../../src/data/node/load-source.ts';
import { repoRoot } from '../../src/data/node/locate.ts';

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--dir');
  const dir =
    flag >= 0 ? resolve(process.argv[flag + 1]) : join(repoRoot(), 'public', 'data', 'ml-latest-small');
  const dataset = await loadDataSource(detectDataSource(dir));
  const bytes = packCatalog({ ...dataset, name: 'ml-latest-small' });
  unpackCatalog(bytes); // refuse to write something the page could not read
  const out = join(dir, 'catalog.bin');
  writeFileSync(out, bytes);
  console.log(
    `${out}: ${dataset.items.length} items, ${dataset.sequences.length} users, ${bytes.length} bytes`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
