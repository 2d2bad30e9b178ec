/**
 * Page side of offline mode: register dist/sw.js (built by src/build/precache.ts) for the page's
 * directory. Only production builds have a sw.js; failures are logged, never fatal (the page
 * works online without it).
 */

/** Register `sw.js` next to the page. Resolves with the registration, or undefined when unsupported/failed. */
export async function registerServiceWorker(
  baseUrl: string = document.baseURI,
): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator)) return undefined;
  try {
    return await navigator.serviceWorker.register(new URL('sw.js', baseUrl), {
      type: 'module',
      scope: new URL('./', baseUrl).pathname,
    });
  } catch (error) {
    console.warn('LocalRec: offline mode unavailable, the service worker did not register:', error);
    return undefined;
  }
}
