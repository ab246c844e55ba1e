/**
 * vue-i18n set-up: Chinese by default, English on request, the choice kept in localStorage.
 * Messages live in one JSON file per module and locale (`zh-CN/sites.json` → `sites.*`).
 */
import { createI18n } from 'vue-i18n';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'safeforest.locale';

type Messages = Record<string, Record<string, unknown>>;

/** Collects `./<locale>/<module>.json` into `{ <module>: {...} }` for each locale. */
function loadMessages(): Record<Locale, Messages> {
  const files = import.meta.glob<Record<string, unknown>>('./*/*.json', { eager: true, import: 'default' });
  const messages: Record<Locale, Messages> = { 'zh-CN': {}, 'en-US': {} };
  for (const [path, content] of Object.entries(files)) {
    const match = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, locale, module] = match;
    if ((LOCALES as readonly string[]).includes(locale)) messages[locale as Locale][module] = content;
  }
  return messages;
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: loadMessages(),
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});

/** Switches the UI language and remembers it. */
export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

/** Shorthand for code outside components (stores, the router). */
export const t = (key: string, params?: Record<string, unknown>) => (params ? i18n.global.t(key, params) : i18n.global.t(key));
