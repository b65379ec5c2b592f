// Repeat visits of unidentified persons (重复求助比对). Server: src/rescue/repeat_visits_routes.cc, docs/rescue.md.
import { http } from '@/api/http'

export type RepeatStatus = 'open' | 'confirmed' | 'rejected' | 'undone'

export interface RepeatPart {
  field: string
  field_zh: string
  level: number
  weight: number
  text: string
}

export interface RepeatSuggestion {
  id: number
  case_id: number
  earlier_case_id: number
  status: RepeatStatus
  score: number
  explanation: {
    engine: string
    score_bits: number
    match_weight: number
    parts: RepeatPart[]
    reasons: string[]
    aging?: { text?: string; elapsed_days?: number }
    face?: { cosine: number; weight: number }
  }
  reason: string
  decided_at: string
  undo_reason: string
  version: number
  earlier?: {
    id: number
    intake_at: string
    status: string
    station_division_name: string
    in_scope: boolean
    name?: string
    sex?: number
    estimated_age?: number | null
    height_cm?: number | null
    features?: string
    dialect?: string
  }
}

const base = (caseId: number) => `/rescue/cases/${caseId}/repeat-visits`

export const listRepeatVisits = (caseId: number) =>
  http.get<{ case_id: number; items: RepeatSuggestion[] }>(base(caseId))
export const searchRepeatVisits = (caseId: number) =>
  http.post<{ case_id: number; items: RepeatSuggestion[] }>(`${base(caseId)}/search`)
export const decideRepeatVisit = (
  caseId: number,
  id: number,
  decision: 'confirm' | 'reject' | 'undo',
  reason: string,
  version: number,
) => http.post<RepeatSuggestion>(`${base(caseId)}/${id}/${decision}`, { reason, version })
