// List pages keep their filters and page in the URL: searching pushes a query, the query (on a reload, the back
// button) fills the filters back in and loads that page; 重置 restores the filters the page opened with.
import { describe, expect, it } from 'vitest'
import { defineComponent, h, reactive } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { listUrlQuery, readFilters, useUrlPagedList } from '@/composables/useUrlPagedList'

describe('listUrlQuery', () => {
  it('leaves out page 1, the default size and empty filters', () => {
    expect(listUrlQuery({ name: '张三', division: '', kind: undefined }, 1, 20)).toEqual({ name: '张三' })
    expect(listUrlQuery({ name: '' }, 3, 50)).toEqual({ page: '3', size: '50' })
  })
})

describe('readFilters', () => {
  it('reads text filters as they stand and a check box as on only for "1"', () => {
    const f = { name: 'old', expiring: true, division: '421003' }
    readFilters(f, { name: '李四', expiring: 'yes' })
    expect(f).toEqual({ name: '李四', expiring: false, division: '' })
    readFilters(f, { expiring: '1', division: ['421002', '421003'] })
    expect(f).toEqual({ name: '', expiring: true, division: '421002' })
  })
})

type Query = { name?: string; only?: string }

async function mountList(start: string) {
  const asked: Array<Query & { page: number; size: number }> = []
  let api!: ReturnType<typeof useUrlPagedList<string, Query>>
  const filters = reactive({ name: '', only: false })
  const List = defineComponent({
    setup() {
      api = useUrlPagedList<string, Query>({
        routeName: 'things',
        filters,
        query: () => ({ name: filters.name || undefined, only: filters.only ? '1' : undefined }),
        fetchPage: async (q) => {
          asked.push(q)
          return { items: [`row${q.page}`], total: 45, page: q.page, size: q.size }
        },
      })
      return () => h('div')
    },
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/things', name: 'things', component: List },
      { path: '/other', name: 'other', component: { render: () => h('p') } },
    ],
  })
  await router.push(start)
  const Root = defineComponent({ render: () => h(router.options.routes[0].component as never) })
  mount(Root, { global: { plugins: [router] } })
  await flushPromises()
  return { asked, filters, router, api: () => api }
}

describe('useUrlPagedList', () => {
  it('loads the page, size and filters the URL names', async () => {
    const { asked, filters, api } = await mountList('/things?name=王&only=1&page=2&size=10')
    expect(asked).toEqual([{ name: '王', only: '1', page: 2, size: 10 }])
    expect(filters).toEqual({ name: '王', only: true })
    expect(api().items.value).toEqual(['row2'])
    expect(api().total.value).toBe(45)
  })

  it('a search pushes the filters to the URL, which loads them', async () => {
    const { asked, filters, router, api } = await mountList('/things')
    expect(asked).toEqual([{ name: undefined, only: undefined, page: 1, size: 20 }])
    filters.name = '赵'
    api().size.value = 50
    api().push(3)
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/things?name=%E8%B5%B5&page=3&size=50')
    expect(asked[1]).toEqual({ name: '赵', only: undefined, page: 3, size: 50 })
  })

  it('重置 restores the filters the page opened with and goes to page 1', async () => {
    const { asked, filters, router, api } = await mountList('/things?name=王&only=1&page=4')
    expect(filters).toEqual({ name: '王', only: true })
    api().reset()
    await flushPromises()
    expect(filters).toEqual({ name: '', only: false })
    expect(router.currentRoute.value.fullPath).toBe('/things')
    expect(asked.at(-1)).toEqual({ name: undefined, only: undefined, page: 1, size: 20 })
  })

  it('leaving for another route loads nothing', async () => {
    const { asked, router } = await mountList('/things')
    await router.push('/other?name=x')
    await flushPromises()
    expect(asked).toHaveLength(1)
  })
})
