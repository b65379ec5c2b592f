// A list page whose filters and page live in the URL (?name=…&page=2&size=50): 搜索, 重置 and the pager only push
// a new query; whenever the page's own route gets a query, the filters and paging are read back from it and the
// rows load. So a search survives a reload, the back button and the return from /login?redirect=.
import { watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import type { Page } from '../api/http'
import { queryInt, queryString, toQuery } from '../utils/listQuery'
import { usePagedList } from './usePagedList'

type QueryValues = Record<string, string | number | undefined | null>
type Filters = Record<string, string | boolean>

export const DEFAULT_PAGE_SIZE = 20

// The URL query for filters at a page: page 1 and the default size are left out, as are empty filters.
export function listUrlQuery(filters: QueryValues, page: number, size: number): Record<string, string> {
  return toQuery({ ...filters, page: page > 1 ? page : undefined, size: size !== DEFAULT_PAGE_SIZE ? size : undefined })
}

// Filters read back from a URL query, by the type of each filter's default: a text filter takes the value as it
// stands, a check box is on only for "1".
export function readFilters(filters: Filters, q: LocationQuery): void {
  for (const key of Object.keys(filters)) {
    filters[key] = typeof filters[key] === 'boolean' ? queryString(q, key) === '1' : queryString(q, key)
  }
}

export interface UrlPagedListOptions<T, Q extends object> {
  // The name of the page's route: a query change while another route shows (leaving the page) loads nothing.
  routeName: string
  // The page's reactive filters; 重置 restores the values they have when the page opens.
  filters: Filters
  // The filters as the server takes them, also pushed to the URL unless urlQuery is given.
  query: () => Q
  fetchPage: (q: Q & { page: number; size: number }) => Promise<Page<T>>
  // Where the URL carries a filter differently from the server (e.g. state=all for "no state filter").
  urlQuery?: () => QueryValues
  // Where reading a filter back needs more than readFilters.
  readQuery?: (q: LocationQuery) => void
}

export function useUrlPagedList<T, Q extends object>(opts: UrlPagedListOptions<T, Q>) {
  const route = useRoute()
  const router = useRouter()
  const defaults = { ...opts.filters }
  const list = usePagedList<T>((page, size) => opts.fetchPage({ ...opts.query(), page, size }))

  function push(page = 1) {
    void router.push({ query: listUrlQuery((opts.urlQuery ?? opts.query)() as QueryValues, page, list.size.value) })
  }
  function reset() {
    Object.assign(opts.filters, defaults)
    push(1)
  }

  watch(
    () => route.query,
    () => {
      if (route.name !== opts.routeName) return
      const q = route.query
      if (opts.readQuery) opts.readQuery(q)
      else readFilters(opts.filters, q)
      list.page.value = queryInt(q, 'page', 1)
      list.size.value = queryInt(q, 'size', DEFAULT_PAGE_SIZE)
      void list.load()
    },
    { immediate: true },
  )

  return { ...list, push, reset }
}
