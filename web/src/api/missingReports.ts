// Missing-person reports (寻人登记) entered for families and matched against unidentified persons; the STR loci of
// the embedded allele table; the rescue lists' Excel downloads. Server: src/rescue/matching_routes.cc,
// src/rescue/list_export.cc, docs/rescue.md "Matching".
import { buildUrl, http, type Page } from './http'

export type ReportStatus = 'open' | 'found' | 'closed'
export const REPORT_STATUSES: ReportStatus[] = ['open', 'found', 'closed']
export type SampleRelation = 'father' | 'mother' | 'parent' | 'sibling' | 'child' | 'self'
export const SAMPLE_RELATIONS: SampleRelation[] = ['father', 'mother', 'parent', 'sibling', 'child', 'self']
export const MAX_SAMPLES = 10

export interface DnaSample {
  relation: SampleRelation | ''
  name: string
  profile: Record<string, string> // {locus: "a/b"}
}

export interface ReportFields {
  reporter_name: string
  reporter_phone: string
  reporter_relation: string
  name: string
  sex: number
  birth_date: string
  age_at_lost: number | null
  lost_date: string
  lost_division: string
  lost_place: string
  hukou_division: string
  height_cm: number | null
  features: string
  dialect: string
  note: string
  photos: string[]
  samples: DnaSample[]
}

export interface MissingReport extends ReportFields {
  id: number
  division: string
  status: ReportStatus
  version: number
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
}

export interface ReportQuery {
  status?: string
  name?: string
  page?: number
  size?: number
}

export interface StrLocus {
  name: string
  alleles: string[]
}

export const searchReports = (q: ReportQuery) => http.get<Page<MissingReport>>('/rescue/missing-reports', { ...q })
export const getReport = (id: number | string) => http.get<MissingReport>(`/rescue/missing-reports/${id}`)
export const createReport = (f: ReportFields) => http.post<MissingReport>('/rescue/missing-reports', f)
export const updateReport = (id: number, f: ReportFields & { version: number }) =>
  http.put<MissingReport>(`/rescue/missing-reports/${id}`, f)
export const setReportStatus = (id: number, body: { version: number; status: ReportStatus; reason: string }) =>
  http.post<MissingReport>(`/rescue/missing-reports/${id}/status`, body)
// The reporter's phone in full; the purpose is written to the audit log (pii.reveal).
export const revealReportPhone = (id: number, purpose: string) =>
  http.post<{ reporter_phone: string }>(`/rescue/missing-reports/${id}/reveal`, { purpose })
export const strLoci = () => http.get<{ items: StrLocus[] }>('/tracing/str-loci')

// The Excel downloads of the lists (server-side, in scope, audited as exports), with the list's filters.
export const reportsExportUrl = (q: ReportQuery) =>
  buildUrl('/rescue/missing-reports/export.xlsx', { status: q.status, name: q.name })
export const casesExportUrl = (q: { status?: string; name?: string; unidentified?: string }) =>
  buildUrl('/rescue/cases/export.xlsx', { status: q.status, name: q.name, unidentified: q.unidentified })

// A report's candidates on unidentified persons, best first; a case of another station only by its station.
export interface ReportCandidate {
  id: number
  source: 'dna' | 'face' | 'attribute'
  score: number
  status: 'open' | 'confirmed' | 'rejected'
  reason: string
  tier: string
  station_division: string
  station_division_name: string
  in_scope: boolean
  case?: { id: number; name: string; sex: number; estimated_age: number | null; intake_at: string; status: string }
}
export const reportCandidates = (id: number | string) =>
  http.get<{ items: ReportCandidate[]; total: number }>(`/rescue/missing-reports/${id}/candidates`)
