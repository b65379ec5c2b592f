// The repeat-visits panel of the case page: suggestions with the earlier visit, the engine's reasons and the aging
// in words; the 12-month count or the repeated-vagrancy flag; a new search posted and its answer shown; decided
// suggestions offer only the undo, and a user without rescue.write no buttons.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import RepeatVisitsPanel from '@/views/rescue/repeat/RepeatVisitsPanel.vue'
import { makeI18n } from '@/locales'
import { useAuthStore } from '@/stores/auth'
import { stubFetch } from './fetchStub'

const suggestion = (status: string, reason = '') => ({
  id: 7, case_id: 9, earlier_case_id: 5, status, score: 21.4, reason, decided_at: '', undo_reason: '', version: 1,
  explanation: {
    engine: 'linkage', score_bits: 21.4, match_weight: 21.4, parts: [],
    reasons: ['属性比对权重 +21.4', '体貌特征：多个特征关键词相同 +9.00'],
    aging: { text: '上次求助时估计 30 岁，相隔 5.0 年，折算到本次约 35 岁', elapsed_days: 1827 },
  },
  earlier: {
    id: 5, intake_at: '2020-01-23T02:00:00.000Z', status: 'departed', station_division_name: '湖北省荆州市沙市区',
    in_scope: true, name: '', sex: 1, estimated_age: 30, height_cm: 168, features: '左眉有痣', dialect: '西南官话',
  },
})

async function mountPanel(permissions: string[], flag = { flag: false, intakes_12_months: 1 }) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = {
    id: 3, username: 'staff', display_name: '李娜', role: 'rescue_staff', role_name: '救助站工作人员',
    division_code: '421002', division_name: '沙市区', permissions, must_change_password: false, totp_enabled: true,
  }
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
  const wrapper = mount(RepeatVisitsPanel, {
    props: { caseId: 9, identified: false, repeatVagrancy: flag },
    global: { plugins: [pinia, router, makeI18n('zh-CN')] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RepeatVisitsPanel', () => {
  it('lists the suggestion with the earlier visit, the reasons and the aging, and the 12-month count', async () => {
    const { sent } = stubFetch({ status: 200, body: { case_id: 9, items: [suggestion('open')] } })
    const wrapper = await mountPanel(['rescue.read', 'rescue.write'])
    expect(sent[0].url).toContain('/api/v1/rescue/cases/9/repeat-visits')
    const text = wrapper.get('[data-testid="repeat-visits-table"]').text()
    expect(text).toContain('上次求助时估计 30 岁，相隔 5.0 年，折算到本次约 35 岁')
    expect(text).toContain('体貌特征：多个特征关键词相同 +9.00')
    expect(text).toContain('左眉有痣')
    expect(text).toContain('待处理')
    expect(wrapper.get('[data-testid="repeat-visits-table"] a').attributes('href')).toBe('/rescue/cases/5')
    expect(wrapper.find('[data-testid="repeat-confirm"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="repeat-visits-flag"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('12 个月内求助 1 次')
    wrapper.unmount()
  })

  it('shows the repeated-vagrancy flag, and a new search replaces the list', async () => {
    const { sent } = stubFetch(
      { status: 200, body: { case_id: 9, items: [] } },
      { status: 200, body: { case_id: 9, items: [suggestion('confirmed', '本人承认曾来站')] } },
    )
    const wrapper = await mountPanel(['rescue.read', 'rescue.write'], { flag: true, intakes_12_months: 3 })
    expect(wrapper.get('[data-testid="repeat-visits-flag"]').text()).toBe('反复流浪乞讨：12 个月内求助 3 次')
    expect(wrapper.text()).toContain('暂无可能的重复求助')
    await wrapper.get('[data-testid="repeat-visits-search"]').trigger('click')
    await flushPromises()
    expect(sent[1].method).toBe('POST')
    expect(sent[1].url).toContain('/api/v1/rescue/cases/9/repeat-visits/search')
    const text = wrapper.get('[data-testid="repeat-visits-table"]').text()
    expect(text).toContain('已确认同一人')
    expect(text).toContain('本人承认曾来站')
    expect(wrapper.find('[data-testid="repeat-confirm"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="repeat-undo"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('offers no search or decision without rescue.write', async () => {
    stubFetch({ status: 200, body: { case_id: 9, items: [suggestion('open')] } })
    const wrapper = await mountPanel(['rescue.read'])
    expect(wrapper.find('[data-testid="repeat-visits-search"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="repeat-confirm"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
