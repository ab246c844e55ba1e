import { ElMessage } from 'element-plus';
import { type Ref, reactive, ref } from 'vue';
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
 * The rows, total and paging of a list page whose table pages on the server. `fetchPage` builds
 * the query from the view's own filters and the page asked for, so the view keeps its filters
 * and this keeps the rest. Filters, paging and live events can each start a load before the last
 * one answered; only the latest answer is shown (and only its error), so a slow old answer
 * cannot overwrite a newer selection. `search` goes back to page 1, as a changed selection may
 * have fewer pages than the one the user was on.
 */
export function usePagedList<T>(fetchPage: (page: PageRequest) => Promise<PageAnswer<T>>, options: { pageSize?: number } = {}) {
  const rows = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const paging = reactive<PageRequest>({ page: 1, pageSize: options.pageSize ?? 20 });

  let request = 0;
  async function load() {
    const mine = ++request;
    loading.value = true;
    try {
      const result = await fetchPage({ page: paging.page, pageSize: paging.pageSize });
      if (mine !== request) return;
      rows.value = result.items;
      total.value = result.total;
    } catch (error) {
      if (mine === request) ElMessage.error(describeError(error));
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  function search() {
    paging.page = 1;
    void load();
  }

  return { rows, total, loading, paging, load, search };
}
