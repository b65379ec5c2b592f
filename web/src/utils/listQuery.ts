// List filters kept in the URL (?name=...&page=2), so a search survives a reload, the back button and the
// return from /login?redirect= after a session timeout.
import type { LocationQuery } from 'vue-router'

export function queryString(q: LocationQuery, key: string): string {
  const v = q[key]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s : ''
}

export function queryInt(q: LocationQuery, key: string, fallback: number): number {
  const n = Number.parseInt(queryString(q, key), 10)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

// The URL query for a filter object: empty values left out.
export function toQuery(filters: Record<string, string | number | undefined | null>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(filters)) {
    if (v !== undefined && v !== null && v !== '') out[k] = String(v)
  }
  return out
}
