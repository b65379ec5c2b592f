// The sidebar by keyboard: every entry is a link (a Tab stop) both open and collapsed, collapsed entries carry
// their name, and a group's title is a button that Enter opens and closes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import SideMenu from '@/layout/SideMenu.vue'
import { routes } from '@/router/routes'
import { makeI18n } from '@/locales'
import { useAuthStore } from '@/stores/auth'

async function mountMenu(collapsed: boolean) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = {
    id: 3, username: 'county1', display_name: '王芳', role: 'caseworker', role_name: '救助经办员', division_code: '421003',
    division_name: '荆州区', permissions: ['registry.person.read', 'registry.household.read'], must_change_password: false,
    totp_enabled: true,
  }
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/dashboard').catch(() => undefined)
  const wrapper = mount(SideMenu, {
    props: { collapsed },
    global: { plugins: [pinia, router, makeI18n('zh-CN')] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('SideMenu', () => {
  it('collapsed: one named link per page the user may open, group entries included', async () => {
    const { wrapper, router } = await mountMenu(true)
    const links = wrapper.findAll('a.menu-link')
    expect(links.map((a) => a.attributes('href'))).toEqual(['/dashboard', '/registry/persons', '/registry/households'])
    expect(links.map((a) => a.attributes('aria-label'))).toEqual(['首页', '人员查询', '家庭户'])
    expect(wrapper.findAll('.el-sub-menu')).toHaveLength(0) // no hover-only popups
    // Enter on a focused link must reach the browser, which follows the link with a click.
    const enter = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true })
    links[2].element.dispatchEvent(enter)
    expect(enter.defaultPrevented).toBe(false)
    await links[2].trigger('click')
    // The page's component loads lazily before the navigation ends.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/registry/households'), { timeout: 10000 })
  })

  it('open: a group title is a button that Enter and Space toggle', async () => {
    const { wrapper } = await mountMenu(false)
    expect(wrapper.findAll('a.menu-link').map((a) => a.text())).toEqual(['首页', '人员查询', '家庭户'])
    const title = wrapper.get('[role="button"].menu-link')
    expect(title.text()).toBe('人口信息')
    expect(title.attributes('tabindex')).toBe('0')
    expect(title.attributes('aria-expanded')).toBe('true')
    await title.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(title.attributes('aria-expanded')).toBe('false')
    expect(wrapper.get('.el-sub-menu').classes()).not.toContain('is-opened')
    await title.trigger('keydown', { key: ' ' })
    await flushPromises()
    expect(title.attributes('aria-expanded')).toBe('true')
    expect(wrapper.get('.el-sub-menu').classes()).toContain('is-opened')
  })
})
