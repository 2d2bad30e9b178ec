/**
 * Header-driven CSV reading shared by the MovieLens CSV readers and the generic interactions CSV:
 * columns are found by name (case-insensitive aliases), every row must have as many fields as the
 * header, and each row comes with its 1-based line number.
 */
import { csvHeader, parseCsv, type CsvDelimiter } from './csv.ts';
import { DataFormatError } from './errors.ts';

/** One column the caller wants: accepted header names and whether it must be present. */
export interface ColumnSpec {
  aliases: readonly string[];
  required: boolean;
}

/** A data row: values by the caller's column names (undefined when an optional column is absent). */
export interface TableRow<K extends string> {
  values: Record<K, string | undefined>;
  line: number;
}

/**
 * Iterate the data rows of a CSV with a header line.
 * @throws DataFormatError when the header lacks a required column or a row has the wrong field count
 */
export function* readCsvTable<K extends string>(
  text: string,
  source: string,
  columns: Record<K, ColumnSpec>,
  delimiter: CsvDelimiter = ',',
): Generator<TableRow<K>> {
  const records = parseCsv(text, source, delimiter);
  const first = records.next();
  if (first.done) throw new DataFormatError(source, 1, `a header line with columns ${describe(columns)}`, '');
  const header = csvHeader(first.value.fields);
  const keys = Object.keys(columns) as K[];
  const indices = keys.map((key) => header.find(columns[key].aliases)); // [columns]
  keys.forEach((key, k) => {
    if (indices[k] < 0 && columns[key].required) {
      throw new DataFormatError(
        source,
        first.value.line,
        `a header with a "${key}" column (one of: ${columns[key].aliases.join(', ')})`,
        first.value.fields.join(','),
      );
    }
  });
  const width = header.names.length;
  for (const record of records) {
    if (record.fields.length !== width) {
      throw new DataFormatError(
        source,
        record.line,
        `${width} fields like the header (${header.names.join(',')}), got ${record.fields.length}`,
        record.fields.join(','),
      );
    }
    const values = {} as Record<K, string | undefined>;
    keys.forEach((key, k) => {
      values[key] = indices[k] < 0 ? undefined : record.fields[indices[k]];
    });
    yield { values, line: record.line };
  }
}

function describe(columns: Record<string, ColumnSpec>): string {
  return Object.values(columns)
    .filter((c) => c.required)
    .map((c) => c.aliases[0])
    .join(',');
}
