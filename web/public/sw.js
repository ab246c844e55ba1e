/**
 * The ranger app's service worker, registered by the ranger page with scope /ranger (every page
 * of the client is the same index.html, so a page it happens to control as well is served the
 * same). It keeps the app shell so the installed page opens without network. Pages and the API always go to the network first; the API is never
 * cached (the page keeps its own queue of fixes). Built assets have hashed names and are kept
 * once fetched.
 */
const CACHE = 'safeforest-ranger-v1';
const SHELL = ['/ranger', '/manifest.webmanifest', '/favicon.svg', '/icons/ranger.svg', '/icons/ranger-192.png'];

/** The shell and the built scripts and styles the page names (so the page can open offline after one visit). */
async function cacheShell() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  const page = await cache.match('/ranger');
  const html = page ? await page.text() : '';
  const assets = [...new Set(html.match(/\/assets\/[^"']+/g) || [])];
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    // Network first: a fresh page when online, the cached shell when not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put('/ranger', copy));
          }
          return response;
        })
        .catch(() => caches.match('/ranger').then((cached) => cached || Response.error())),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    // Hashed assets never change: the cache first, the network once.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
