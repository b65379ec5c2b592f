// The numbers page's tables: the period's flow, the persons stranded now by where they are (center, institution,
// hospital) and the reunions by how the family was found, each breakdown with its share of its total (one
// decimal, "—" for a total of 0) so that the parts can be checked against the whole.
import type { RescueStats } from '@/api/rescue'

export interface NumberRow {
  key: string
  value: number
  share?: string // "37.5%"
}

export const FLOW_KEYS = ['rescues', 'persons', 'refused', 'stays_over_10_days', 'notices_published', 'dna_requests', 'reunions'] as const

export function share(part: number, total: number): string {
  return total > 0 ? `${((part * 100) / total).toFixed(1)}%` : '—'
}

export function numbersTables(s: RescueStats): { flow: NumberRow[]; stranded: NumberRow[]; reunions: NumberRow[] } {
  const flow: NumberRow[] = FLOW_KEYS.map((k) => ({ key: k, value: s[k] }))
  const st = s.stranded_now
  const stranded: NumberRow[] = (['center', 'institution', 'hospital'] as const).map((k) => ({ key: k, value: st[k], share: share(st[k], st.total) }))
  stranded.push({ key: 'total', value: st.total, share: share(st.total, st.total) })
  const sources = Object.keys(s.reunions_by_source).sort()
  const reunions: NumberRow[] = sources.map((k) => ({ key: k, value: s.reunions_by_source[k], share: share(s.reunions_by_source[k], s.reunions) }))
  reunions.push({ key: 'total', value: s.reunions, share: share(s.reunions, s.reunions) })
  return { flow, stranded, reunions }
}
