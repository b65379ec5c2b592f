// Normalises GET /registry/stats into rows the dashboard charts draw. Tolerant of naming (by_county rows may
// name the county as code/name or county/county_name), since the endpoint is new.
import type { StatRow, Stats } from '@/api/registry'

export interface CountyRow {
  code: string
  name: string
  persons: number
  households: number
}

export interface UrbanRuralRow {
  kind: string // "urban" | "rural" | "" (persons in no household)
  name: string // the server's name for the kind, if it sent one
  persons: number
  households: number
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0)

export function countyRows(s: Stats | null | undefined): CountyRow[] {
  const rows = (s?.by_county ?? []) as StatRow[]
  return rows.map((r) => ({
    code: String(r.code ?? r.county ?? ''),
    name: String(r.name ?? r.county_name ?? r.code ?? r.county ?? ''),
    persons: num(r.persons),
    households: num(r.households),
  }))
}

export function urbanRuralRows(s: Stats | null | undefined): UrbanRuralRow[] {
  const rows = (s?.by_urban_rural ?? []) as StatRow[]
  return rows.map((r) => ({
    kind: String(r.urban_rural ?? r.code ?? ''),
    name: String(r.name ?? ''),
    persons: num(r.persons),
    households: num(r.households),
  }))
}

export function totals(s: Stats | null | undefined): { persons: number; households: number } {
  const counties = countyRows(s)
  const first = (...v: unknown[]) => v.find((x): x is number => typeof x === 'number')
  return {
    persons: first(s?.persons, s?.total_persons) ?? counties.reduce((a, r) => a + r.persons, 0),
    households: first(s?.households, s?.total_households) ?? counties.reduce((a, r) => a + r.households, 0),
  }
}
