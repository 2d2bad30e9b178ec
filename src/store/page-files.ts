/**
 * Which files of a model directory the page's worker reads: manifest.json, the files its tensors
 * live in, and items.json. No imports (a plain reading of the manifest's text); the manifest is
 * validated properly where it is loaded.
 */

/** The page's files besides manifest.json, from the manifest's text (its weight files, then items.json). */
export function pageFilesOf(manifestText: string): string[] {
  const value: unknown = JSON.parse(manifestText);
  const tensors = (value as { tensors?: unknown } | null)?.tensors;
  const files = Array.isArray(tensors)
    ? tensors
        .map((t: unknown) => (t as { file?: unknown } | null)?.file)
        .filter((f): f is string => typeof f === 'string')
    : [];
  return [...new Set([...files, 'items.json'])];
}
