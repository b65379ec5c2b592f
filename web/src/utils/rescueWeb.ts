// Pure helpers of the rescue station's stay, whereabouts and numbers screens: the 10-day countdown's state, the
// whereabouts tally by placement, the numbers as rows (for the table and the Excel export) and as a bar chart.
import type { RescueStats, WhereaboutsItem } from '@/api/rescue'

export type CountdownState = 'none' | 'ok' | 'soon' | 'over' | 'extended'

// How the 10-day rule stands for a stay: 'none' when the rule does not apply (minor, disability, departed),
// 'extended' when an approved extension covers it, 'over' past the limit, 'soon' within 2 days of it.
export function countdownState(
  stay: { limit_applies: boolean; days_left?: number },
  extension: { state: 'none' | 'requested' | 'approved'; until: string | null } | undefined,
  open: boolean,
  today: string,
): CountdownState {
  if (!open || !stay.limit_applies || stay.days_left === undefined) return 'none'
  if (extension?.state === 'approved' && extension.until && extension.until >= today) return 'extended'
  if (stay.days_left < 0) return 'over'
  if (stay.days_left <= 2) return 'soon'
  return 'ok'
}

// A body temperature worth flagging (发热 ≥ 37.3 ℃, 低体温 < 36.0 ℃).
export function temperatureFlag(t: number | null | undefined): 'fever' | 'low' | null {
  if (t === null || t === undefined) return null
  if (t >= 37.3) return 'fever'
  if (t < 36) return 'low'
  return null
}

export interface WhereaboutsTally {
  center: number
  institution: number
  hospital: number
  total: number
}

export function tallyWhereabouts(items: WhereaboutsItem[]): WhereaboutsTally {
  const out: WhereaboutsTally = { center: 0, institution: 0, hospital: 0, total: 0 }
  for (const w of items) {
    if (w.location === 'center' || w.location === 'institution' || w.location === 'hospital') out[w.location]++
    out.total++
  }
  return out
}

export const STAT_KEYS = [
  'rescues',
  'persons',
  'refused',
  'stranded_center',
  'stranded_institution',
  'stranded_hospital',
  'stranded_total',
  'stays_over_10_days',
  'notices_published',
  'dna_requests',
  'reunions',
] as const
export type StatKey = (typeof STAT_KEYS)[number]

// The numbers as one row per measure, then one per way a family was found ("reunions_by:<source>").
export function statRows(s: RescueStats): { key: string; value: number }[] {
  const v: Record<StatKey, number> = {
    rescues: s.rescues,
    persons: s.persons,
    refused: s.refused,
    stranded_center: s.stranded_now.center,
    stranded_institution: s.stranded_now.institution,
    stranded_hospital: s.stranded_now.hospital,
    stranded_total: s.stranded_now.total,
    stays_over_10_days: s.stays_over_10_days,
    notices_published: s.notices_published,
    dna_requests: s.dna_requests,
    reunions: s.reunions,
  }
  const rows: { key: string; value: number }[] = STAT_KEYS.map((k) => ({ key: k, value: v[k] }))
  for (const src of Object.keys(s.reunions_by_source).sort()) {
    rows.push({ key: 'reunions_by:' + src, value: s.reunions_by_source[src] })
  }
  return rows
}

// A bar chart of the period's flow (rescues, persons, notices, DNA requests, reunions) and the stranded now by place.
export function statsChartOption(s: RescueStats, label: (key: string) => string) {
  const keys = ['rescues', 'persons', 'notices_published', 'dna_requests', 'reunions', 'stays_over_10_days',
    'stranded_center', 'stranded_institution', 'stranded_hospital']
  const rows = new Map(statRows(s).map((r) => [r.key, r.value]))
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 24, bottom: 60 },
    xAxis: { type: 'category', data: keys.map(label), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: keys.map((k) => rows.get(k) ?? 0), label: { show: true, position: 'top' } }],
  }
}

// The first day of the month of `today` (YYYY-MM-DD) and `today`: the numbers page's default period.
export function monthToDate(today: string): [string, string] {
  return [today.slice(0, 8) + '01', today]
}

// Today in Asia/Shanghai as YYYY-MM-DD (the server's calendar day).
export function shanghaiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

// The fields of `edited` whose value differs from `current` ('' and null count as the same "empty").
export function changedFields(current: Record<string, unknown>, edited: Record<string, unknown>): Record<string, unknown> {
  const norm = (v: unknown) => (v === undefined || v === null || v === '' ? null : typeof v === 'string' ? v.trim() : v)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(edited)) {
    if (norm(v) !== norm(current[k])) out[k] = typeof v === 'string' ? v.trim() : v ?? null
  }
  return out
}

// The changed field names of a version entry, whether the server kept them as a list or as an object of values.
export function versionFieldNames(v: { fields: unknown }): string[] {
  if (Array.isArray(v.fields)) return v.fields.map(String)
  if (v.fields && typeof v.fields === 'object') return Object.keys(v.fields)
  return []
}

export function sexText(sex: number): string {
  return sex === 1 ? '男' : sex === 2 ? '女' : '不详'
}

// "无名氏，男，约 52 岁" — the headline of a public notice.
export function noticeHeadline(n: { name: string | null; sex: number; estimated_age: number | null }): string {
  const parts = [n.name || '无名氏']
  if (n.sex === 1 || n.sex === 2) parts.push(sexText(n.sex))
  if (n.estimated_age !== null && n.estimated_age !== undefined) parts.push(`约 ${n.estimated_age} 岁`)
  return parts.join('，')
}
