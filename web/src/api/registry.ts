// The person and household registry (registry.person.*, registry.household.*, pii.reveal).
import { http, type Page } from './http'

export interface PersonFields {
  name: string
  sex: number
  birth_date: string
  estimated_age?: number | null
  id_number: string
  ethnicity: string
  phone: string
  address: string
  address_division: string
  hukou_division: string
  hukou_address: string
  division_code: string
  flags: string
  disability_category: string
  disability_grade: string
  marital_status: string
  education: string
  notes: string
}

// As the server sends it: nullable texts, flags as a list, and a *_name beside each code.
export interface Person extends Omit<PersonFields, 'flags'> {
  flags: string[] | string
  flag_names?: string[]
  sex_name?: string
  ethnicity_name?: string
  marital_status_name?: string
  education_name?: string
  disability_category_name?: string
  disability_grade_name?: string
  address_division_name?: string | null
  hukou_division_name?: string | null
  age?: number | null
  id: number
  version: number
  created_at?: string
  updated_at?: string
  household_id?: number | null
  division_name?: string
  masked?: boolean
}

export interface PersonQuery {
  name?: string
  id_number?: string
  division?: string
  sex?: string | number
  page?: number
  size?: number
}

export interface Member {
  person_id: number
  relation: string
  relation_name?: string
  sex_name?: string
  age?: number | null
  name?: string
  sex?: number
  birth_date?: string
  estimated_age?: number | null
  id_number?: string
  division_code?: string
}

export interface HouseholdFields {
  head_person_id: number
  urban_rural: 'urban' | 'rural' | string
  division_code: string
  address: string
}

export interface Household extends HouseholdFields {
  id: number
  version: number
  urban_rural_name?: string
  head_name?: string
  member_count?: number
  division_name?: string
  members?: Member[]
  created_at?: string
  updated_at?: string
}

export interface HouseholdQuery {
  division?: string
  urban_rural?: string
  page?: number
  size?: number
}

export interface Person360 {
  person: Person
  household?: Household | null
  sections?: Record<string, unknown> | { key?: string; title?: string; data?: unknown }[]
  [key: string]: unknown
}

export interface StatRow {
  code?: string
  name?: string
  county?: string
  county_name?: string
  urban_rural?: string | null
  persons?: number
  households?: number
}

export interface Stats {
  by_county?: StatRow[]
  by_urban_rural?: StatRow[]
  persons?: number
  households?: number
  total_persons?: number
  total_households?: number
  [key: string]: unknown
}

export type RevealField = 'id_number' | 'phone'

export const searchPersons = (q: PersonQuery) => http.get<Page<Person>>('/registry/persons', { ...q })
export const getPerson = (id: number | string) => http.get<Person>(`/registry/persons/${id}`)
// Flags as a list whatever form they came in.
export function flagList(p: { flags?: string[] | string | null }): string[] {
  if (Array.isArray(p.flags)) return p.flags
  return (p.flags ?? '').split(',').filter(Boolean)
}

export const getPerson360 = (id: number | string) => http.get<Person360>(`/registry/persons/${id}/360`)
export const createPerson = (p: PersonFields) => http.post<Person>('/registry/persons', p)
export const updatePerson = (id: number, p: Partial<PersonFields> & { version: number }) =>
  http.put<Person>(`/registry/persons/${id}`, p)
export const revealPerson = (id: number | string, purpose: string, fields: RevealField[]) =>
  http.post<Partial<Record<RevealField, string | null>>>(`/registry/persons/${id}/reveal`, { purpose, fields })

export const searchHouseholds = (q: HouseholdQuery) => http.get<Page<Household>>('/registry/households', { ...q })
export const getHousehold = (id: number | string) => http.get<Household>(`/registry/households/${id}`)
export const createHousehold = (h: HouseholdFields & { members: { person_id: number; relation: string }[] }) =>
  http.post<Household>('/registry/households', h)
export const updateHousehold = (id: number, h: HouseholdFields & { version: number }) =>
  http.put<Household>(`/registry/households/${id}`, h)
export const addMember = (id: number, m: { person_id: number; relation: string }) =>
  http.post<Household>(`/registry/households/${id}/members`, m)
export const removeMember = (id: number, personId: number) =>
  http.del<Household>(`/registry/households/${id}/members/${personId}`)

export const getStats = () => http.get<Stats>('/registry/stats')
