// Code sets (sex, ethnicity, relation, ...) and administrative divisions.
import { http, itemsOf } from './http'

export interface CodeItem {
  code: string
  name: string
  parent?: string
}

export interface Division {
  code: string
  name: string
  level: number
}

export type DictName =
  | 'sex'
  | 'ethnicity'
  | 'relation'
  | 'marital'
  | 'education'
  | 'disability_category'
  | 'disability_grade'
  | 'flag'
  | 'urban_rural'

export async function getDict(name: DictName): Promise<CodeItem[]> {
  const data = await http.get<unknown>(`/dicts/${name}`)
  return itemsOf<CodeItem>(data).map((c) => ({ ...c, code: String(c.code) }))
}

export async function getDivisions(parent = ''): Promise<Division[]> {
  return itemsOf<Division>(await http.get<unknown>('/divisions', { parent }))
}

// The codes of a division and its ancestors, e.g. 421003001 → 42, 4210, 421003, 421003001 (GB/T 2260 prefixes:
// 2 digits province, 4 city, 6 county, 9 township).
export function divisionPath(code: string): string[] {
  if (!code) return []
  return [2, 4, 6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n))
}
