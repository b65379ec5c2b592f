// The list pages' shared state: a page loads its rows and total, or an error with no stale rows.
import { describe, expect, it, vi } from 'vitest'
import { usePagedList } from '@/composables/usePagedList'

describe('usePagedList', () => {
  it('loads the requested page and keeps the total', async () => {
    const asked: Array<[number, number]> = []
    const list = usePagedList<number>(async (p, s) => {
      asked.push([p, s])
      return { items: [p * 10, p * 10 + 1], total: 42, page: p, size: s }
    })
    list.page.value = 3
    await list.load()
    expect(asked).toEqual([[3, 20]])
    expect(list.items.value).toEqual([30, 31])
    expect(list.total.value).toBe(42)
    expect(list.loading.value).toBe(false)
    expect(list.error.value).toBeNull()
  })

  it('a new search starts again at page 1', async () => {
    const asked: number[] = []
    const list = usePagedList<number>(async (p, s) => {
      asked.push(p)
      return { items: [], total: 0, page: p, size: s }
    })
    list.page.value = 4
    list.search()
    expect(list.page.value).toBe(1)
    await vi.waitFor(() => expect(asked).toEqual([1]))
  })

  it('shows an error with no stale rows behind it', async () => {
    let fail = false
    const list = usePagedList<string>(async () => {
      if (fail) throw new Error('服务器内部错误')
      return { items: ['a'], total: 1, page: 1, size: 20 }
    })
    await list.load()
    expect(list.items.value).toEqual(['a'])
    fail = true
    await list.load()
    expect(list.items.value).toEqual([])
    expect((list.error.value as Error).message).toBe('服务器内部错误')
    expect(list.loading.value).toBe(false)
  })
})
