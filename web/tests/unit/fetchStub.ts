// A scripted stand-in for window.fetch: the backend is a separate C++ process, so unit tests answer requests
// from a queue of canned responses and record what the client sent.
import { vi } from 'vitest'

export interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: string } | Error

export function stubFetch(...replies: Reply[]) {
  const sent: Sent[] = []
  const queue = [...replies]
  const fn = vi.fn(async (url: string, init: RequestInit = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>))
    sent.push({
      url,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    })
    const r = queue.shift()
    if (!r) throw new Error(`unexpected request ${init.method ?? 'GET'} ${url}`)
    if (r instanceof Error) throw r
    const text = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body))
    return new Response(text === '' && r.status === 204 ? null : text, {
      status: r.status,
      headers: { 'Content-Type': r.raw ? 'text/html' : 'application/json', ...(r.headers ?? {}) },
    })
  })
  vi.stubGlobal('fetch', fn)
  return { sent, fn, pending: () => queue.length }
}

export const errorBody = (code: string, message: string, details: unknown[] = [], requestId = 'req-1') => ({
  error: { code, message, details },
  request_id: requestId,
})
