// The 360° view's sections come from other modules (assistance, rescue, minors ...) that do not exist yet, so
// they are rendered generically: a list of records as a table, a record as key/value pairs, a value as text.

export type SectionShape =
  | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[] }
  | { kind: 'record'; entries: [string, unknown][] }
  | { kind: 'text'; text: string }
  | { kind: 'empty' }

export interface Section {
  key: string
  title: string
  data: unknown
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v)
}

// Sections as [{key,title,data}], from either a map {key: data} or a list [{key,title,data|items}].
export function normalizeSections(raw: unknown): Section[] {
  if (Array.isArray(raw)) {
    return raw.filter(isRecord).map((s, i) => {
      const key = String(s.key ?? s.name ?? s.module ?? `section${i + 1}`)
      const data = 'data' in s ? s.data : 'items' in s ? s.items : Object.fromEntries(
        Object.entries(s).filter(([k]) => !['key', 'name', 'module', 'title'].includes(k)),
      )
      return { key, title: String(s.title ?? key), data }
    })
  }
  if (isRecord(raw)) {
    return Object.entries(raw).map(([key, v]) => {
      if (isRecord(v) && typeof v.title === 'string' && ('data' in v || 'items' in v)) {
        return { key, title: v.title, data: 'data' in v ? v.data : v.items }
      }
      return { key, title: key, data: v }
    })
  }
  return []
}

export function shapeOf(data: unknown): SectionShape {
  if (data === null || data === undefined || data === '') return { kind: 'empty' }
  if (Array.isArray(data)) {
    if (data.length === 0) return { kind: 'empty' }
    if (data.every(isRecord)) {
      const columns: string[] = []
      for (const r of data as Record<string, unknown>[]) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k)
      return { kind: 'table', columns, rows: data as Record<string, unknown>[] }
    }
    return { kind: 'text', text: data.map(display).join('，') }
  }
  if (isRecord(data)) {
    const entries = Object.entries(data)
    return entries.length ? { kind: 'record', entries } : { kind: 'empty' }
  }
  return { kind: 'text', text: display(data) }
}

// A cell value as text: booleans in Chinese, objects as compact JSON.
export function display(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}
