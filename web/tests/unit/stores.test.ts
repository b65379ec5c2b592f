import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { getCsrfToken, http, setCsrfToken } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { useDictStore } from '@/stores/dicts'
import { errorBody, stubFetch } from './fetchStub'

const user = {
  id: 3, username: 'county1', display_name: '王芳', role: 'caseworker', role_name: '救助经办员',
  division_code: '421003', division_name: '湖北省 荆州市 荆州区', permissions: ['registry.person.read', 'pii.reveal'],
  must_change_password: false, totp_enabled: true,
}

beforeEach(() => {
  setActivePinia(createPinia())
  setCsrfToken('')
})
afterEach(() => vi.unstubAllGlobals())

describe('auth store', () => {
  it('asks for the TOTP code, then signs in with all three and keeps the CSRF token', async () => {
    const s = stubFetch(
      { status: 401, body: errorBody('auth.totp_required', '请输入动态验证码') },
      { status: 200, body: { user, csrf_token: 'c-1' } },
      { status: 200, body: {} },
    )
    const auth = useAuthStore()
    expect(await auth.login('county1', 'Pw#12345678')).toBe('totp_required')
    expect(auth.signedIn).toBe(false)
    expect(await auth.login('county1', 'Pw#12345678', '123456')).toBe('ok')
    expect(s.sent[1].body).toEqual({ username: 'county1', password: 'Pw#12345678', totp_code: '123456' })
    expect(auth.signedIn).toBe(true)
    expect(auth.user?.role_name).toBe('救助经办员')
    expect(getCsrfToken()).toBe('c-1')
    await http.post('/registry/persons/1/reveal', { purpose: 'x', fields: ['id_number'] })
    expect(s.sent[2].headers['X-CSRF-Token']).toBe('c-1')
  })

  it('flags an administrator who must enrol TOTP, until enrolment is confirmed', async () => {
    stubFetch(
      { status: 200, body: { status: 'totp_enrollment_required', user: { ...user, permissions: [] }, csrf_token: 'c' } },
      { status: 200, body: { user, csrf_token: 'c' } },
    )
    const auth = useAuthStore()
    expect(await auth.login('admin', 'pw')).toBe('ok')
    expect(auth.mustEnrollTotp).toBe(true)
    await auth.totpEnrolled()
    expect(auth.mustEnrollTotp).toBe(false)
    expect(auth.can('registry.person.read')).toBe(true)
  })

  it('passes a lockout through with the server message (which carries the unlock time)', async () => {
    stubFetch({ status: 423, body: errorBody('auth.locked', '账号已锁定，请于 2026-11-30 04:10 后再试') })
    const auth = useAuthStore()
    await expect(auth.login('a', 'b')).rejects.toMatchObject({ status: 423, code: 'auth.locked', message: expect.stringContaining('04:10') })
  })

  it('answers permissions from /auth/me', async () => {
    stubFetch({ status: 200, body: { user, csrf_token: 'c-2' } })
    const auth = useAuthStore()
    await auth.fetchMe()
    expect(auth.can('registry.person.read')).toBe(true)
    expect(auth.can('audit.read')).toBe(false)
    expect(auth.can(undefined)).toBe(true)
    expect(auth.canAny(['audit.read', 'pii.reveal'])).toBe(true)
    expect(auth.checked).toBe(true)
  })

  it('treats 401 from /auth/me as signed out, not as an error', async () => {
    stubFetch({ status: 401, body: errorBody('auth.required', '请先登录') })
    const auth = useAuthStore()
    await expect(auth.fetchMe()).resolves.toBeNull()
    expect(auth.checked).toBe(true)
    expect(auth.signedIn).toBe(false)
  })

  it('clears the user and the token on logout even if the server call fails', async () => {
    stubFetch({ status: 200, body: { user, csrf_token: 'c-3' } }, { status: 500, body: errorBody('internal', '服务器错误') })
    const auth = useAuthStore()
    await auth.fetchMe()
    await expect(auth.logout()).rejects.toBeTruthy()
    expect(auth.user).toBeNull()
    expect(getCsrfToken()).toBe('')
  })

  it('clears must_change_password after a successful change', async () => {
    stubFetch({ status: 200, body: { user: { ...user, must_change_password: true }, csrf_token: 't' } }, { status: 204 })
    const auth = useAuthStore()
    await auth.fetchMe()
    expect(auth.mustChangePassword).toBe(true)
    await auth.changePassword('old', 'New#Passw0rd')
    expect(auth.mustChangePassword).toBe(false)
  })
})

describe('dict store', () => {
  it('fetches a set once for concurrent callers and names codes', async () => {
    const s = stubFetch({ status: 200, body: [{ code: '1', name: '男性' }, { code: '2', name: '女性' }] })
    const dicts = useDictStore()
    const [a, b] = await Promise.all([dicts.load('sex'), dicts.load('sex')])
    expect(a).toBe(b)
    expect(s.fn).toHaveBeenCalledTimes(1)
    expect(dicts.label('sex', 2)).toBe('女性')
    expect(dicts.label('sex', '9')).toBe('9')
    expect(dicts.label('sex', '')).toBe('')
    await dicts.load('sex')
    expect(s.fn).toHaveBeenCalledTimes(1)
  })

  it('accepts {items:[...]} and numeric codes, and does not cache a failure', async () => {
    const s = stubFetch(
      { status: 500, body: errorBody('internal', '错误') },
      { status: 200, body: { items: [{ code: 10, name: '配偶' }] } },
    )
    const dicts = useDictStore()
    await expect(dicts.load('relation')).rejects.toBeTruthy()
    await dicts.load('relation')
    expect(dicts.label('relation', '10')).toBe('配偶')
    expect(s.fn).toHaveBeenCalledTimes(2)
  })
})

describe('division names', () => {
  it('learns each level once and names a township by its full path', async () => {
    const s = stubFetch(
      { status: 200, body: [{ code: '42', name: '湖北省', level: 1 }] },
      { status: 200, body: [{ code: '4210', name: '荆州市', level: 2 }] },
      { status: 200, body: [{ code: '421003', name: '荆州区', level: 3 }] },
      { status: 200, body: [{ code: '421003002', name: '城南街道', level: 4 }] },
    )
    const dicts = useDictStore()
    expect(dicts.divisionLabel('421003002')).toBe('421003002')
    await vi.waitFor(() => expect(dicts.divisionLabel('421003002')).toBe('湖北省 荆州市 荆州区 城南街道'))
    expect(dicts.divisionLabel('421003')).toBe('湖北省 荆州市 荆州区')
    expect(s.sent.map((r) => r.url)).toEqual([
      '/api/v1/divisions',
      '/api/v1/divisions?parent=42',
      '/api/v1/divisions?parent=4210',
      '/api/v1/divisions?parent=421003',
    ])
  })
})
