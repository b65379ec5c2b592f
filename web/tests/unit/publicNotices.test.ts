// The public family-search page inside the unit suite: real component, router and i18n; fetch is scripted. It asks
// the public API (no session), shows what it gets, and says so when there is nothing.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import PublicNoticeList from '@/views/public/PublicNoticeList.vue'
import { makeI18n } from '@/locales'
import { stubFetch } from './fetchStub'

async function mountList() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/public/notices', name: 'public-notices', component: PublicNoticeList },
      { path: '/public/notices/:id', name: 'public-notice', component: { template: '<p>one</p>' } },
    ],
  })
  await router.push('/public/notices')
  await router.isReady()
  const wrapper = mount(PublicNoticeList, { global: { plugins: [createPinia(), router, makeI18n('zh-CN')] } })
  await flushPromises()
  return wrapper
}

afterEach(() => vi.unstubAllGlobals())

describe('public family-search notices', () => {
  it('shows an empty state when nothing is published', async () => {
    const { sent } = stubFetch({ status: 200, body: { items: [], total: 0, page: 1, size: 12 } })
    const w = await mountList()
    expect(sent[0].url).toBe('/api/v1/public/notices?page=1&size=12')
    expect(w.find('[data-testid="public-empty"]').exists()).toBe(true)
    expect(w.text()).toContain('暂无寻亲公告')
    expect(w.findAll('[data-testid="public-notice-card"]')).toHaveLength(0)
  })

  it('lists the notices with their headline, place and date, and a placeholder for a withheld photo', async () => {
    stubFetch({
      status: 200,
      body: {
        items: [
          { id: 7, name: null, sex: 1, estimated_age: 52, height_cm: 168, features: '左眉上方疤痕', clothing: '灰色棉衣',
            found_date: '2026-11-28', found_place: '沙市区北京中路天桥下', station_contact: '0716-8888888',
            published_at: '2026-11-28T02:00:00Z', refreshed_at: null, photo: null },
        ],
        total: 1, page: 1, size: 12,
      },
    })
    const w = await mountList()
    const cards = w.findAll('[data-testid="public-notice-card"]')
    expect(cards).toHaveLength(1)
    expect(cards[0].text()).toContain('无名氏，男，约 52 岁')
    expect(cards[0].text()).toContain('沙市区北京中路天桥下')
    expect(cards[0].text()).toContain('暂无照片')
    expect(cards[0].attributes('href')).toBe('/public/notices/7')
    expect(w.find('[data-testid="public-empty"]').exists()).toBe(false)
  })
})
