// The login page end to end inside the unit suite: real components, router, i18n and store; only fetch is
// scripted.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '@/views/auth/LoginView.vue'
import { makeI18n } from '@/locales'
import { setCsrfToken } from '@/api/http'
import { errorBody, stubFetch } from './fetchStub'

const user = {
  id: 3, username: 'county1', display_name: '王芳', role: 'caseworker', role_name: '救助经办员', division_code: '421003',
  division_name: '荆州区', permissions: ['registry.person.read'], must_change_password: false, totp_enabled: true,
}

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/registry/persons', name: 'persons', component: { template: '<p>persons</p>' } },
      { path: '/account/password', name: 'change-password', component: { template: '<p>pw</p>' } },
      { path: '/', component: { template: '<p>home</p>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(LoginView, { global: { plugins: [createPinia(), router, makeI18n('zh-CN')] }, attachTo: document.body })
  return { wrapper, router }
}

async function submit(wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper']) {
  await wrapper.find('form').trigger('submit')
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken('')
  document.body.innerHTML = ''
})

describe('LoginView', () => {
  it('asks for the TOTP code after the password, then returns to the redirect page', async () => {
    const s = stubFetch(
      { status: 401, body: errorBody('auth.totp_required', '请输入动态验证码') },
      { status: 200, body: { user, csrf_token: 'c' } },
    )
    const { wrapper, router } = await mountAt('/login?redirect=/registry/persons')
    await wrapper.find('input[name="username"]').setValue('county1')
    await wrapper.find('input[name="password"]').setValue('Pw#12345678')
    await submit(wrapper)
    expect(wrapper.find('input[name="totp"]').exists()).toBe(true)
    expect(wrapper.text()).toContain('6 位动态验证码')
    await wrapper.find('input[name="totp"]').setValue('123456')
    await submit(wrapper)
    expect(s.sent[1].body).toEqual({ username: 'county1', password: 'Pw#12345678', totp_code: '123456' })
    expect(router.currentRoute.value.fullPath).toBe('/registry/persons')
  })

  it('shows the lockout message from the server with its unlock time', async () => {
    stubFetch({ status: 423, body: errorBody('auth.locked', '账号已锁定，请于 2026-11-30 04:10 后再试', [], 'rid-7') })
    const { wrapper, router } = await mountAt('/login')
    await wrapper.find('input[name="username"]').setValue('county1')
    await wrapper.find('input[name="password"]').setValue('wrong')
    await submit(wrapper)
    const alert = wrapper.find('[data-testid="login-error"]')
    expect(alert.exists()).toBe(true)
    expect(alert.text()).toContain('账号已锁定')
    expect(alert.text()).toContain('2026-11-30 04:10')
    expect(alert.text()).toContain('rid-7')
    expect(router.currentRoute.value.name).toBe('login')
  })

  it('sends a user who must change the password to that page', async () => {
    stubFetch({ status: 200, body: { user: { ...user, must_change_password: true }, csrf_token: 'c' } })
    const { wrapper, router } = await mountAt('/login?redirect=/registry/persons')
    await wrapper.find('input[name="username"]').setValue('newbie')
    await wrapper.find('input[name="password"]').setValue('Init#1234')
    await submit(wrapper)
    expect(router.currentRoute.value.name).toBe('change-password')
    expect(router.currentRoute.value.query.redirect).toBe('/registry/persons')
  })

  it('does not send anything while the fields are empty', async () => {
    const s = stubFetch()
    const { wrapper } = await mountAt('/login')
    await submit(wrapper)
    expect(s.fn).not.toHaveBeenCalled()
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(2)
  })
})
