import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { type IncidentCategory, listIncidentCategories } from '@/api/incidents';

/** The dictionary is read once per page load and shared by every page that names categories. */
const categories = ref<IncidentCategory[]>([]);
let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= listIncidentCategories()
    .then(({ items }) => {
      categories.value = items;
    })
    .catch((error) => {
      loading = null; // try again next time
      throw error;
    });
  return loading;
}

/**
 * The incident categories of the dictionary (`/api/incident-categories`) with their names in the
 * UI language: Chinese by default, the English name when the UI is in English. A code the
 * dictionary does not know is shown as the server named it on the incident.
 */
export function useIncidentCategories() {
  const { locale } = useI18n();
  void load().catch(() => undefined);
  const active = computed(() => categories.value.filter((c) => c.active));
  function label(code: string, fallback?: string): string {
    const category = categories.value.find((c) => c.code === code);
    if (!category) return fallback ?? code;
    return locale.value === 'en-US' ? category.nameEn : category.name;
  }
  return { categories, active, label, load };
}
