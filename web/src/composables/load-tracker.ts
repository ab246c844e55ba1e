import { computed, ref } from 'vue';

/**
 * What a page's data is doing: `loading` before the first answer (and during each reload),
 * `ready` once the latest request answered, `failed` when it did not. Pages show a spinner, the
 * data or "no data", or the error with a retry, so an empty answer never looks like a slow one.
 */
export type LoadStatus = 'loading' | 'ready' | 'failed';

/**
 * Tracks the loads of one piece of a page. Loads can overlap (filters, paging, live events): only
 * the latest one's answer is applied and only its outcome sets the status, so a slow old answer
 * cannot overwrite a newer selection or report a stale failure.
 */
export function createLoadTracker(describe: (error: unknown) => string = (error) => String(error)) {
  const status = ref<LoadStatus>('loading');
  const error = ref<string | null>(null);
  let latest = 0;

  /** Runs `work`; `apply` receives its answer if no newer load started meanwhile. Answers whether it applied. */
  async function run<T>(work: () => Promise<T>, apply: (answer: T) => void): Promise<boolean> {
    const mine = ++latest;
    status.value = 'loading';
    error.value = null;
    try {
      const answer = await work();
      if (mine !== latest) return false;
      apply(answer);
      status.value = 'ready';
      return true;
    } catch (failure) {
      if (mine !== latest) return false;
      error.value = describe(failure);
      status.value = 'failed';
      return false;
    }
  }

  return { status, error, loading: computed(() => status.value === 'loading'), run };
}
