import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError, buildUrl, fetchAllPages, getCsrfToken, http, onPasswordChangeRequired, onUnauthorized, setCsrfToken,
} from '@/api/http'
import { errorBody, stubFetch } from './fetchStub'

beforeEach(() => {
  setCsrfToken('')
  onUnauthorized(null)
  onPasswordChangeRequired(null)
})
afterEach(() => vi.unstubAllGlobals())

describe('CSRF header', () => {
  it('is sent on POST, PUT and DELETE but not on GET', async () => {
    const s = stubFetch({ status: 200, body: {} }, { status: 200, body: {} }, { status: 200, body: {} }, { status: 200, body: {} })
    setCsrfToken('tok-123')
    await http.get('/registry/persons')
    await http.post('/users', { username: 'a' })
    await http.put('/users/7', { display_name: 'b', version: 1 })
    await http.del('/registry/households/1/members/2')
    expect(s.sent.map((r) => [r.method, r.headers['X-CSRF-Token']])).toEqual([
      ['GET', undefined],
      ['POST', 'tok-123'],
      ['PUT', 'tok-123'],
      ['DELETE', 'tok-123'],
    ])
    expect(s.sent[1].headers['Content-Type']).toBe('application/json')
    expect(s.sent[1].body).toEqual({ username: 'a' })
  })

  it('is refreshed from /auth/me and the mutation retried once after 403 auth.csrf', async () => {
    setCsrfToken('stale')
    const s = stubFetch(
      { status: 403, body: errorBody('auth.csrf', 'CSRF 令牌无效') },
      { status: 200, body: { user: { id: 1 }, csrf_token: 'fresh' } },
      { status: 200, body: { ok: true } },
    )
    await expect(http.post('/users/1/disable')).resolves.toEqual({ ok: true })
    expect(s.sent.map((r) => `${r.method} ${r.url} ${r.headers['X-CSRF-Token'] ?? '-'}`)).toEqual([
      'POST /api/v1/users/1/disable stale',
      'GET /api/v1/auth/me -',
      'POST /api/v1/users/1/disable fresh',
    ])
    expect(getCsrfToken()).toBe('fresh')
  })
})

describe('URLs', () => {
  it('are relative to /api/v1 and leave empty filters out', () => {
    expect(buildUrl('/registry/persons', { name: '张三', id_number: '', division: undefined, sex: 1, page: 2 })).toBe(
      '/api/v1/registry/persons?name=%E5%BC%A0%E4%B8%89&sex=1&page=2',
    )
    expect(buildUrl('/divisions', { parent: '' })).toBe('/api/v1/divisions')
  })
})

describe('error parsing', () => {
  it('keeps code, message, field details and request id of the error body', async () => {
    stubFetch({
      status: 400,
      body: errorBody('registry.id_number.check_digit', '身份证号码校验位不正确', [
        { field: 'id_number', code: 'registry.id_number.check_digit', message: '校验位不正确' },
        { field: 'phone', code: 'registry.phone.invalid', message: '联系电话无效' },
      ], 'r-42'),
    })
    const err = (await http.post('/registry/persons', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(400)
    expect(err.code).toBe('registry.id_number.check_digit')
    expect(err.message).toBe('身份证号码校验位不正确')
    expect(err.requestId).toBe('r-42')
    expect(err.fieldMessage('phone')).toBe('联系电话无效')
    expect(err.fieldMessage('name')).toBeUndefined()
  })

  it('copes with a non-JSON answer (a proxy page) and takes the request id from the header', async () => {
    stubFetch({ status: 502, raw: '<html>Bad Gateway</html>', headers: { 'X-Request-Id': 'h-9' } })
    const err = (await http.get('/registry/stats').catch((e) => e)) as ApiError
    expect(err.code).toBe('http.502')
    expect(err.message).toContain('HTTP 502')
    expect(err.message).toMatch(/服务器/)
    expect(err.requestId).toBe('h-9')
  })

  it('reports an unreachable server as code "network"', async () => {
    stubFetch(new TypeError('Failed to fetch'))
    const err = (await http.get('/health').catch((e) => e)) as ApiError
    expect(err.status).toBe(0)
    expect(err.code).toBe('network')
  })
})

describe('401 and 403 handling', () => {
  it('calls the unauthorized handler on 401, except for calls that expect it', async () => {
    const seen: string[] = []
    onUnauthorized((e) => seen.push(e.code))
    stubFetch(
      { status: 401, body: errorBody('auth.required', '请先登录') },
      { status: 401, body: errorBody('auth.totp_required', '请输入动态验证码') },
    )
    await expect(http.get('/registry/persons')).rejects.toMatchObject({ status: 401, code: 'auth.required' })
    await expect(http.post('/auth/login', {}, { skipAuthRedirect: true })).rejects.toMatchObject({ code: 'auth.totp_required' })
    expect(seen).toEqual(['auth.required'])
  })

  it('does not call it for 403 or 404', async () => {
    const seen: string[] = []
    onUnauthorized((e) => seen.push(e.code))
    stubFetch({ status: 403, body: errorBody('auth.forbidden', '无权访问') }, { status: 404, body: errorBody('not_found', '不存在') })
    await expect(http.get('/audit')).rejects.toMatchObject({ status: 403 })
    await expect(http.get('/registry/persons/9')).rejects.toMatchObject({ status: 404 })
    expect(seen).toEqual([])
  })

  it('calls the password-change handler on 403 auth.password_change_required', async () => {
    const seen: string[] = []
    onPasswordChangeRequired((e) => seen.push(e.code))
    stubFetch({ status: 403, body: errorBody('auth.password_change_required', '请先修改密码') })
    await expect(http.get('/registry/persons')).rejects.toBeInstanceOf(ApiError)
    expect(seen).toEqual(['auth.password_change_required'])
  })
})

describe('fetchAllPages', () => {
  const fake = (n: number) => async (page: number, size: number) => {
    const start = (page - 1) * size
    const items = Array.from({ length: Math.max(0, Math.min(size, n - start)) }, (_, i) => start + i)
    return { items, total: n, page, size }
  }

  it('collects every page up to total', async () => {
    const r = await fetchAllPages(fake(450))
    expect(r.items.length).toBe(450)
    expect(r.items[449]).toBe(449)
    expect(r.truncated).toBe(false)
  })

  it('stops at the cap and says so', async () => {
    const pages: number[] = []
    const r = await fetchAllPages(async (p, s) => {
      pages.push(p)
      return fake(1000)(p, s)
    }, 300)
    expect(r.items.length).toBe(300)
    expect(r.total).toBe(1000)
    expect(r.truncated).toBe(true)
    expect(pages).toEqual([1, 2])
  })

  it('stops on an empty page even if total says more (rows deleted meanwhile)', async () => {
    const r = await fetchAllPages(async (p, s) => ({ items: p === 1 ? [1, 2] : [], total: 5, page: p, size: s }))
    expect(r.items).toEqual([1, 2])
  })
})
