// The rescue station's workflow (救助管理; rescue.* and tracing.*). Server: src/rescue/routes.cc, docs/rescue.md.
import { http, type Page } from './http'

export type HowCame = 'self' | 'police' | 'patrol' | 'referral'
export const HOW_CAME: HowCame[] = ['self', 'police', 'patrol', 'referral']
export type CaseStatus = 'in_station' | 'departed' | 'refused'
export type DepartureKind = 'self' | 'relatives' | 'escort_home' | 'transfer' | 'death' | 'termination'
export const DEPARTURE_KINDS: DepartureKind[] = ['self', 'relatives', 'escort_home', 'transfer', 'death', 'termination']
export const FOUND_BY = ['conversation', 'police', 'dna', 'face', 'media'] as const

export interface Screening {
  mental_illness: boolean
  infectious_disease: boolean
  critical_illness: boolean
  injury: boolean
  danger: boolean
  drugs_or_fugitive: boolean
  note: string
}

export interface CaseFields {
  name: string
  sex: number
  birth_date: string
  estimated_age: number | null
  height_cm: number | null
  features: string
  clothing: string
  dialect: string
  photo: string
  health_state: string
  mental_disability: boolean
  how_came: HowCame
  police_unit: string
  police_form_ref: string
  referral_from: string
  patrol_ref: string
  found_place: string
  found_date: string
  reason: string
  hukou_address: string
  relatives_contact: string
  bed: string
  room: string
  notes: string
}

export interface IntakeBody extends Partial<CaseFields> {
  station_division?: string
  intake_at?: string
  id_number?: string
  screening?: Partial<Screening>
  belongings?: { description: string; quantity: number }[]
}

export interface RescueCase extends CaseFields {
  id: number
  station_division: string
  station_division_name: string
  person_id: number | null
  identified: boolean
  status: CaseStatus
  intake_at: string
  screening: Screening
  referred_to: string
  departed_at: string | null
  departure_kind: DepartureKind | null
  found_by: string | null
  extension: { until: string | null; reason: string; state: 'none' | 'requested' | 'approved' }
  version: number
}

export interface Belonging {
  id: number
  description: string
  quantity: number
  returned: boolean
  returned_at: string | null
  returned_to: string
  signature_ref: string
}

export interface Notice {
  id: number
  case_id: number
  status: 'draft' | 'published' | 'closed'
  due_at: string
  published_at: string | null
  refreshed_at: string | null
  features: string
  clothing: string
  found_date: string
  found_place: string
  station_contact: string
  version: number
}

export interface Deadline {
  kind: string
  case_id: number | null
  title: string
  due_date: string
  due_at: string | null
  state: 'overdue' | 'due' | 'upcoming'
  days_left: number
}

export interface CasePage {
  case: RescueCase
  belongings: Belonging[]
  care: CareRecord[]
  placements: Placement[]
  versions: CaseVersion[]
  notices: Notice[]
  dna_requests: DnaRequest[]
  candidates: { id: number; source: string; score: number; candidate_ref: string; status: string; reason: string; explanation?: unknown }[]
  history: { id: number; intake_at: string; status: string; station_division_name: string }[]
  repeat_vagrancy: { flag: boolean; intakes_12_months: number }
  stay: { days: number; limit_applies: boolean; limit_date?: string; days_left?: number }
  deadlines: Deadline[]
}

export interface CaseQuery {
  status?: string
  name?: string
  unidentified?: string
  page?: number
  size?: number
}

export interface DepartureBody {
  kind: DepartureKind
  found_by?: string
  declaration_ref?: string
  relative_name?: string
  relative_relation?: string
  relative_id_number?: string
  relative_id_checked?: boolean
  route?: string
  escort_staff?: string[]
  handover_to?: string
  handover_ref?: string
  transfer_to?: string
  death_date?: string
  death_certificate_ref?: string
  termination_notice_ref?: string
  reason?: string
}

export const searchCases = (q: CaseQuery) => http.get<Page<RescueCase>>('/rescue/cases', { ...q })
export const getCasePage = (id: number | string) => http.get<CasePage>(`/rescue/cases/${id}`)
export const intake = (b: IntakeBody) => http.post<RescueCase>('/rescue/cases', b)
export const depart = (id: number | string, b: DepartureBody) => http.post<RescueCase>(`/rescue/cases/${id}/departure`, b)
export const returnBelonging = (id: number | string, bid: number, returned_to: string, signature_ref: string) =>
  http.post<Belonging>(`/rescue/cases/${id}/belongings/${bid}/return`, { returned_to, signature_ref })
export const publishNotice = (id: number) => http.post<Notice>(`/rescue/notices/${id}/publish`)
export const workQueue = (scope: 'mine' | 'station') =>
  http.get<{ items: Deadline[]; total: number; overdue: number; due: number }>('/rescue/deadlines', { scope })
export const decideCandidate = (id: number, decision: 'confirm' | 'reject', reason: string) =>
  http.post<unknown>(`/rescue/candidates/${id}/${decision}`, { reason })

// --- the stay, corrections, DNA requests, whereabouts, numbers and the public notices (rescue-web screens) ---
export type CareKind = 'meal' | 'health_check' | 'temperature' | 'medical' | 'service'
export const CARE_KINDS: CareKind[] = ['meal', 'health_check', 'temperature', 'medical', 'service']
export type PlacementKind = 'institution' | 'hospital'

export interface CareRecord {
  id: number
  kind: CareKind
  recorded_at: string
  temperature: number | null
  detail: string
  recorded_by?: number
}

export interface Placement {
  id: number
  kind: PlacementKind
  institution_id: number
  start_date: string
  end_date: string | null
  end_reason?: string
  note?: string
  current?: boolean
}

export interface DnaRequest {
  id: number
  case_id: number
  requested_on: string
  due_on: string
  on_time: boolean
  police_unit: string
  status: string
  sample_ref: string
  sampled_on: string | null
  result: string | null
  result_ref: string
  result_on: string | null
  note: string
}

export interface CaseVersion {
  version: number
  changed_at: string
  changed_by: number
  reason: string
  fields: string[] | Record<string, unknown> | null
  previous: Record<string, unknown> | null
}

export interface WhereaboutsItem {
  case_id: number
  name: string
  identified: boolean
  station_division: string
  intake_at: string
  days: number
  location: 'center' | PlacementKind
  bed?: string
  room?: string
  institution_id?: number
  placement_id?: number
  since: string
}

export interface RescueStats {
  from: string
  to: string
  rescues: number
  persons: number
  refused: number
  stranded_now: { center: number; institution: number; hospital: number; total: number }
  stays_over_10_days: number
  notices_published: number
  dna_requests: number
  reunions: number
  reunions_by_source: Record<string, number>
}

export interface PublicNotice {
  id: number
  name: string | null
  sex: number
  estimated_age: number | null
  height_cm: number | null
  features: string
  clothing: string
  found_date: string
  found_place: string
  station_contact: string
  published_at: string
  refreshed_at: string | null
  photo: string | null
  // The uploaded photo, served by the notice (published, minors' policy applied); null when none is shown.
  photo_url: string | null
}

type Id = number | string
export const addCare = (id: Id, b: { kind: CareKind; detail?: string; temperature?: number | null; recorded_at?: string }) =>
  http.post<CareRecord>(`/rescue/cases/${id}/care`, b)
export const place = (id: Id, b: { kind: PlacementKind; institution_id: number; start_date?: string; note?: string }) =>
  http.post<Placement>(`/rescue/cases/${id}/placements`, b)
export const endPlacement = (id: Id, b: { end_date?: string; reason?: string }) =>
  http.post<Placement>(`/rescue/cases/${id}/placements/end`, b)
export const requestExtension = (id: Id, until: string, reason: string) =>
  http.post<RescueCase>(`/rescue/cases/${id}/extension`, { until, reason })
export const approveExtension = (id: Id) => http.post<RescueCase>(`/rescue/cases/${id}/extension/approve`, {})
export const requestDna = (id: Id, b: { police_unit: string; requested_on?: string; note?: string }) =>
  http.post<DnaRequest>(`/rescue/cases/${id}/dna-requests`, b)
export const recordDnaSample = (dnaId: number, sample_ref: string, sampled_on: string) =>
  http.post<DnaRequest>(`/rescue/dna-requests/${dnaId}/sample`, { sample_ref, sampled_on })
export const recordDnaResult = (dnaId: number, b: { result: string; result_ref: string; result_on: string }) =>
  http.post<DnaRequest>(`/rescue/dna-requests/${dnaId}/result`, b)
export const correctCase = (id: Id, b: Partial<CaseFields> & { version: number; reason: string }) =>
  http.put<RescueCase>(`/rescue/cases/${id}`, b)
export const caseVersions = (id: Id) => http.get<{ items: CaseVersion[] }>(`/rescue/cases/${id}/versions`)
export const whereabouts = () =>
  http.get<{ items: WhereaboutsItem[]; total: number; as_of: string }>('/rescue/whereabouts')
export const rescueStats = (from: string, to: string) => http.get<RescueStats>('/rescue/stats', { from, to })
export const publicNotices = (page: number, size: number) => http.get<Page<PublicNotice>>('/public/notices', { page, size })
export const publicNotice = (id: Id) => http.get<PublicNotice>(`/public/notices/${id}`)
