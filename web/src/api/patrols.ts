// Street patrol logs (街面巡查; rescue.read / rescue.write). Server: src/rescue/patrol_routes.cc.
import { http, type Page } from './http'

export type PatrolAction = 'advised' | 'brought_in' | 'referred_police' | 'referred_hospital' | 'refused'
export const PATROL_ACTIONS: PatrolAction[] = ['advised', 'brought_in', 'referred_police', 'referred_hospital', 'refused']

export interface PatrolPlace {
  division_code: string
  place: string
  lat?: number | null
  lng?: number | null
  division_name?: string
}

export interface PatrolEncounter {
  persons: number
  action: PatrolAction | ''
  description: string
  place_index?: number | null
  action_name?: string
}

export interface PatrolFields {
  division_code: string
  started_at: string
  ended_at: string
  team: string[]
  route: string
  places: PatrolPlace[]
  encounters: PatrolEncounter[]
  notes: string
}

export interface PatrolCounts {
  persons_met: number
  advised: number
  brought_in: number
  referred_police: number
  referred_hospital: number
  refused: number
}

export interface Patrol extends PatrolFields {
  id: number
  version: number
  division_name: string
  counts: PatrolCounts
  created_at: string
  updated_at: string
}

export interface PatrolQuery {
  division?: string
  from?: string
  to?: string
  member?: string
  action?: string
  page?: number
  size?: number
}

export const searchPatrols = (q: PatrolQuery) => http.get<Page<Patrol>>('/rescue/patrols', { ...q })
export const getPatrol = (id: number | string) => http.get<Patrol>(`/rescue/patrols/${id}`)
export const createPatrol = (f: PatrolFields) => http.post<Patrol>('/rescue/patrols', f)
export const correctPatrol = (id: number | string, f: PatrolFields & { version: number; reason: string }) =>
  http.put<Patrol>(`/rescue/patrols/${id}`, f)
