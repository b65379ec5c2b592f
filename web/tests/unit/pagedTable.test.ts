// The list pages' shared body: the page's columns over the rows, 暂无数据 when none, the pager asking the page to
// change pages, the page's buttons and the total above, and a failed load shown with a retry instead of the table.
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { ElTableColumn } from 'element-plus'
import PagedTable from '@/components/PagedTable.vue'
import { ApiError } from '@/api/http'
import { makeI18n } from '@/locales'

function mountTable(items: Array<{ id: number; name: string }>, error: unknown = null) {
  const changes: number[] = []
  let retried = 0
  const Page = defineComponent({
    setup() {
      const page = ref(1)
      const size = ref(10)
      return () =>
        h(
          PagedTable,
          {
            items, loading: false, error, total: 35, page: page.value, size: size.value, 'data-testid': 'things',
            'onUpdate:page': (p: number) => (page.value = p),
            'onUpdate:size': (s: number) => (size.value = s),
            onCurrentChange: (p: number) => changes.push(p),
            onRetry: () => retried++,
          },
          { default: () => [h(ElTableColumn, { label: '姓名', prop: 'name' })], toolbar: () => [h('button', { class: 'new' }, '新增')] },
        )
    },
  })
  const wrapper = mount(Page, { global: { plugins: [makeI18n('zh-CN')] }, attachTo: document.body })
  return { wrapper, changes, retried: () => retried }
}

describe('PagedTable', () => {
  it('shows the page’s columns over the rows and the pager with the total', async () => {
    const { wrapper, changes } = mountTable([{ id: 1, name: '张三' }, { id: 2, name: '李四' }])
    await flushPromises()
    expect(wrapper.get('[data-testid="things"]').text()).toContain('姓名')
    expect(wrapper.findAll('.el-table__body tr').map((r) => r.text())).toEqual(['张三', '李四'])
    expect(wrapper.get('.pager').text()).toContain('35')
    expect(wrapper.get('.toolbar .new').text()).toBe('新增')
    expect(wrapper.get('.toolbar .muted').text()).toBe('共 35 条')
    await wrapper.get('.pager .btn-next').trigger('click')
    expect(changes).toEqual([2])
    wrapper.unmount()
  })

  it('says 暂无数据 when there are no rows', async () => {
    const { wrapper } = mountTable([])
    await flushPromises()
    expect(wrapper.get('.el-table__empty-block').text()).toContain('暂无数据')
    wrapper.unmount()
  })

  it('shows a failed load with a retry instead of the table', async () => {
    const { wrapper, retried } = mountTable([{ id: 1, name: '张三' }], new ApiError(500, 'internal', '服务器内部错误'))
    await flushPromises()
    expect(wrapper.find('.el-table').exists()).toBe(false)
    expect(wrapper.find('.toolbar .new').exists()).toBe(true) // the page's buttons stay usable
    expect(wrapper.get('[data-testid="error-state"]').text()).toContain('服务器内部错误')
    await wrapper.get('[data-testid="error-state"] button').trigger('click')
    expect(retried()).toBe(1)
    wrapper.unmount()
  })
})
