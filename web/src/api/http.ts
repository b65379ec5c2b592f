// The HTTP client of the console: every call to /api/v1 goes through request().
//
// Contract (docs/api/README.md): the session is an HttpOnly cookie; every method other than GET/HEAD carries the
// CSRF token in X-CSRF-Token; any non-2xx answer has {"error":{code,message,details[]},"request_id"}. A 401 means
// the session is gone: the registered handler sends the user to /login?redirect=<page>. A 403 auth.csrf means our
// token is stale (another tab signed in again): we fetch a fresh one from /auth/me and retry once.

export const API_BASE = '/api/v1'

export interface FieldErrorDetail {
  field?: string
  code?: string
  message?: string
}

// An error answer of the API, or a failure to reach it (status 0, code "network").
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: FieldErrorDetail[]
  readonly requestId: string

  constructor(status: number, code: string, message: string, details: FieldErrorDetail[] = [], requestId = '') {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.requestId = requestId
  }

  // The message of the first detail naming `field`, if any.
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message
  }
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
  // Login and the start-up /auth/me answer 401 as a normal outcome: do not treat it as an expired session.
  skipAuthRedirect?: boolean
}

type Handler = (err: ApiError) => void

let csrfToken = ''
let unauthorizedHandler: Handler | null = null
let passwordChangeHandler: Handler | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
}

export function getCsrfToken(): string {
  return csrfToken
}

// Called on a 401 answer (session expired or never signed in).
export function onUnauthorized(handler: Handler | null): void {
  unauthorizedHandler = handler
}

// Called on a 403 auth.password_change_required answer.
export function onPasswordChangeRequired(handler: Handler | null): void {
  passwordChangeHandler = handler
}

export function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.append(k, String(v))
    }
    const s = params.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  return url
}

function isMutation(method: string): boolean {
  const m = method.toUpperCase()
  return m !== 'GET' && m !== 'HEAD'
}

// Builds an ApiError from a non-2xx response, whatever its body is (a proxy may answer with HTML).
export async function parseError(res: Response): Promise<ApiError> {
  const headerId = res.headers.get('X-Request-Id') ?? ''
  let text = ''
  try {
    text = await res.text()
  } catch {
    text = ''
  }
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; details?: unknown }
      request_id?: unknown
    }
    if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
      const e = body.error
      const details = Array.isArray(e.details)
        ? (e.details as unknown[]).filter((d): d is FieldErrorDetail => !!d && typeof d === 'object')
        : []
      return new ApiError(
        res.status,
        typeof e.code === 'string' && e.code ? e.code : `http.${res.status}`,
        typeof e.message === 'string' && e.message ? e.message : defaultMessage(res.status),
        details,
        typeof body.request_id === 'string' ? body.request_id : headerId,
      )
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, `http.${res.status}`, defaultMessage(res.status), [], headerId)
}

// Chinese fallbacks for answers without our error body (proxies, a server not yet started).
export function defaultMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录'
  if (status === 403) return '没有权限执行此操作'
  if (status === 404) return '请求的资源不存在'
  if (status === 413) return '提交的内容过大'
  if (status === 429) return '请求过于频繁，请稍后再试'
  if (status >= 500) return `服务器暂时无法处理请求（HTTP ${status}），请稍后再试`
  return `请求失败（HTTP ${status}）`
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: string | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (isMutation(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
  try {
    return await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
}

async function refreshCsrf(): Promise<boolean> {
  try {
    const res = await send('GET', '/auth/me', {})
    if (!res.ok) return false
    const me = (await res.json()) as { csrf_token?: string }
    if (typeof me.csrf_token === 'string' && me.csrf_token) {
      csrfToken = me.csrf_token
      return true
    }
  } catch {
    // fall through
  }
  return false
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts)
  if (!res.ok) {
    let err = await parseError(res)
    if (err.status === 403 && err.code === 'auth.csrf' && isMutation(method) && (await refreshCsrf())) {
      res = await send(method, path, opts)
      if (res.ok) return parseBody<T>(res)
      err = await parseError(res)
    }
    if (err.status === 401 && !opts.skipAuthRedirect) unauthorizedHandler?.(err)
    if (err.status === 403 && err.code === 'auth.password_change_required') passwordChangeHandler?.(err)
    throw err
  }
  return parseBody<T>(res)
}

async function parseBody<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T
  const text = await res.text()
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(res.status, 'http.bad_json', '服务器返回的数据格式有误', [], res.headers.get('X-Request-Id') ?? '')
  }
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
}

// A list answer as {items,...}; tolerates a bare array for endpoints that return one (divisions, dicts).
export function itemsOf<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[]
  if (data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)) {
    return (data as { items: T[] }).items
  }
  return []
}

export const MAX_PAGE_SIZE = 200

// Fetches every page of a list (size 200) until `total` items or `cap` items are in hand. Returns the items and
// whether the cap cut the list short.
export async function fetchAllPages<T>(
  fetchPage: (page: number, size: number) => Promise<Page<T>>,
  cap = 10000,
): Promise<{ items: T[]; total: number; truncated: boolean }> {
  const items: T[] = []
  let total = 0
  for (let page = 1; ; page++) {
    const p = await fetchPage(page, MAX_PAGE_SIZE)
    total = p.total
    items.push(...p.items)
    if (items.length >= cap) {
      return { items: items.slice(0, cap), total, truncated: total > cap }
    }
    if (p.items.length === 0 || items.length >= total) break
  }
  return { items, total, truncated: false }
}
