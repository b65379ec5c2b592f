// Institution supervision (institution.read / institution.write): institutions (托养机构, 定点医院), inspections
// with the scored checklist and photos, rectification orders and their follow-ups. Server: src/rescue/institution_routes.cc.
import { http, type Page } from './http'

export type InstitutionKind = 'foster_care' | 'hospital'

export interface InstitutionFields {
  name: string
  kind: InstitutionKind | ''
  division_code: string
  address: string
  contact_person: string
  contact_phone: string
  capacity: number
  licence_number: string
  licence_expiry: string | null
  contract_start: string | null
  contract_end: string | null
  status: 'active' | 'suspended' | 'ended'
  notes: string
}

export interface Institution extends InstitutionFields {
  id: number
  version: number
  kind_name: string
  division_name: string
  placed_persons: number
  licence_state: string
  licence_state_name: string
  contract_state: 'none' | 'not_started' | 'valid' | 'expiring' | 'expired'
  contract_state_name: string
  contract_expiring: boolean
  status_name: string
  updated_at: string
}

export interface InstitutionQuery {
  name?: string
  kind?: string
  division?: string
  status?: string
  contract_expiring?: string
  page?: number
  size?: number
}

export interface ChecklistDef {
  code: string
  name: string
  max: number
  guide: string
}

export interface ChecklistScore {
  code: string
  score: number
  note?: string
  name?: string
  max?: number
  weak?: boolean
}

export interface InspectionFields {
  inspected_on: string
  inspectors: string[]
  items: ChecklistScore[]
  findings: string
}

export interface Photo {
  id: number
  file_name: string
  content_type: string
  size_bytes: number
  caption: string
  url: string
}

export interface RectificationEvent {
  id: number
  action: string
  action_name: string
  note: string
  state_after: string
  state_after_name: string
  deadline_after: string
  at: string
  by_name: string
}

export interface Rectification {
  id: number
  version: number
  inspection_id: number
  institution_id: number
  institution_name: string
  requirement: string
  issued_on: string
  working_days: number | null
  deadline: string
  state: 'open' | 'submitted' | 'closed' | 'reopened'
  state_name: string
  closed_on: string | null
  deadline_status: 'overdue' | 'due_soon' | 'pending' | 'submitted' | 'closed'
  overdue: boolean
  days_left: number
  events: RectificationEvent[]
}

export interface Inspection extends InspectionFields {
  id: number
  version: number
  institution_id: number
  institution_name: string
  total: number
  rating: 'excellent' | 'good' | 'pass' | 'fail'
  rating_name: string
  photos: Photo[]
  rectifications?: Rectification[]
}

export interface RectificationQuery {
  state?: string
  overdue?: string
  due_before?: string
  institution_id?: number | string
  page?: number
  size?: number
}

export interface NewRectification {
  requirement: string
  issued_on?: string
  working_days?: number | null
  deadline?: string
}

export interface FollowUp {
  version: number
  action: 'submit' | 'verify' | 'reopen' | 'extend' | 'note'
  note?: string
  new_deadline?: string
  new_working_days?: number | null
}

export interface HistoryEntry {
  version: number
  reason: string
  changed_at: string
  changed_by: number
  snapshot: Record<string, unknown> | null
}

const base = '/rescue/institutions'

export const getChecklist = () => http.get<{ items: ChecklistDef[] }>(`${base}/checklist`)
export const searchInstitutions = (q: InstitutionQuery) => http.get<Page<Institution>>(base, { ...q })
export const getInstitution = (id: number | string) => http.get<Institution>(`${base}/${id}`)
export const createInstitution = (f: InstitutionFields) => http.post<Institution>(base, f)
export const correctInstitution = (id: number | string, f: InstitutionFields & { version: number; reason: string }) =>
  http.put<Institution>(`${base}/${id}`, f)
export const institutionHistory = (id: number | string) => http.get<{ items: HistoryEntry[] }>(`${base}/${id}/history`)

export const listInspections = (institutionId: number | string) =>
  http.get<{ items: Inspection[]; total: number }>(`${base}/${institutionId}/inspections`)
export const createInspection = (institutionId: number | string, f: InspectionFields) =>
  http.post<Inspection>(`${base}/${institutionId}/inspections`, f)
export const getInspection = (id: number | string) => http.get<Inspection>(`${base}/inspections/${id}`)
export const correctInspection = (id: number | string, f: InspectionFields & { version: number; reason: string }) =>
  http.put<Inspection>(`${base}/inspections/${id}`, f)
export const uploadPhoto = (inspectionId: number | string, p: { file_name: string; content_type: string; data: string; caption?: string }) =>
  http.post<Photo>(`${base}/inspections/${inspectionId}/photos`, p)

export const orderRectification = (inspectionId: number | string, r: NewRectification) =>
  http.post<Rectification>(`${base}/inspections/${inspectionId}/rectifications`, r)
export const searchRectifications = (q: RectificationQuery) => http.get<Page<Rectification>>(`${base}/rectifications`, { ...q })
export const getRectification = (id: number | string) => http.get<Rectification>(`${base}/rectifications/${id}`)
export const followUpRectification = (id: number | string, f: FollowUp) =>
  http.post<Rectification>(`${base}/rectifications/${id}/follow-ups`, f)

// The photo limits the server enforces (src/rescue/institution_service.h), checked before uploading.
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
