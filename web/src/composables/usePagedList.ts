// The state every list page keeps — current page and size, the rows, the total, loading and error — and the one
// way it loads: ask the server for a page, show its rows, or show the error with no stale rows behind it.
import { ref, type Ref } from 'vue'
import type { Page } from '../api/http'

export function usePagedList<T>(fetchPage: (page: number, size: number) => Promise<Page<T>>) {
  const page = ref(1)
  const size = ref(20)
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const r = await fetchPage(page.value, size.value)
      items.value = r.items
      total.value = r.total
    } catch (e) {
      error.value = e
      items.value = []
    } finally {
      loading.value = false
    }
  }

  // A new search (or page size) starts again at page 1.
  function search() {
    page.value = 1
    void load()
  }

  return { page, size, items, total, loading, error, load, search }
}
