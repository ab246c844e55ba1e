import { type Ref, reactive, ref } from 'vue';
import { createLoadTracker } from './load-tracker';
import { describeError } from './useServerErrors';

/** The page a list asks the server for. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** One page of a list as the server answers it. */
export interface PageAnswer<T> {
  items: T[];
  total: number;
}

/**
 * The rows, total, paging and load state of a list page whose table pages on the server.
 * `fetchPage` builds the query from the view's own filters and the page asked for, so the view
 * keeps its filters and this keeps the rest. Filters, paging and live events can each start a
 * load before the last one answered; only the latest answer is shown (and only its error), so a
 * slow old answer cannot overwrite a newer selection. `status` tells loading, ready and failed
 * apart (the table's empty slot shows it with `LoadState`). `search` goes back to page 1, as a
 * changed selection may have fewer pages than the one the user was on.
 */
export function usePagedList<T>(fetchPage: (page: PageRequest) => Promise<PageAnswer<T>>, options: { pageSize?: number } = {}) {
  const rows = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const paging = reactive<PageRequest>({ page: 1, pageSize: options.pageSize ?? 20 });
  const { status, error, loading, run } = createLoadTracker(describeError);

  async function load() {
    await run(
      () => fetchPage({ page: paging.page, pageSize: paging.pageSize }),
      (result) => {
        rows.value = result.items;
        total.value = result.total;
      },
    );
  }

  function search() {
    paging.page = 1;
    void load();
  }

  return { rows, total, loading, status, error, paging, load, search };
}
