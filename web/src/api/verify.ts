// Household economic status verification (核对): agency feeds, authorisations, requests and results, batch
// rechecks and their downloads (docs/api/openapi.yaml, tag verify). Money is integer fen; dates YYYY-MM-DD.
import { API_BASE, buildUrl, getCsrfToken, http, parseError, ApiError, type Page, type Query } from './http'
import { dispositionName } from '@/utils/verify'
import { saveBlob } from '@/utils/excel'

export interface VerifySource {
  source: string
  name: string
  file_name?: string
  columns: string[]
  required_columns: string[]
}

export type FeedStatus = 'importing' | 'imported' | 'rejected' | 'failed'

export interface FeedBatch {
  id: number
  source: string
  source_name: string
  period: string
  filename: string
  format?: string
  encoding?: string | null
  content_hash: string
  size_bytes: number
  on_reject: 'all_or_nothing' | 'keep_good'
  forced: boolean
  status: FeedStatus | string
  status_name: string
  rows_total: number
  rows_imported: number
  rows_rejected: number
  error?: string | null
  job_id?: number | null
  data_date?: string | null
  created_at: string
  created_by: number
  created_by_name?: string
  finished_at?: string | null
}

export interface FeedReject {
  row: number
  column: string
  code: string
  reason: string
}

export interface Authorisation {
  id: number
  household_id: number
  person_id: number
  signed_on: string
  signer_name: string
  signed_by_guardian: boolean
  guardian_name?: string
  guardian_id_number?: string
  guardian_relation?: string
  form_file: string
  notes?: string
  status: 'valid' | 'lapsed' | 'revoked' | string
  status_name: string
  revoked_reason?: string | null
  version: number
  created_at: string
  created_by: number
  created_by_name?: string
}

export interface NewAuthorisation {
  person_id: number
  signed_on: string
  signer_name: string
  signed_by_guardian: boolean
  guardian_name?: string
  guardian_id_number?: string
  guardian_relation?: string
  form_file: string
  notes?: string
}

export interface MemberAuthorisation {
  person_id: number
  name: string
  relation: string
  relation_name: string
  id_number: string
  minor: boolean
  status: 'valid' | 'lapsed' | 'revoked' | 'missing' | string
  status_name: string
  authorisation: Authorisation | null
}

export interface HouseholdAuthorisations {
  household_id: number
  all_valid: boolean
  members: MemberAuthorisation[]
}

export type Decision = 'eligible' | 'ineligible' | 'review'

export interface VerifyRequest {
  id: number
  household_id: number
  batch_id?: number | null
  division_code: string
  township: string
  township_name: string
  head_name: string
  urban_rural?: string
  decision: Decision | string
  decision_name: string
  flags: string[]
  flag_names: string[]
  members_counted: number
  income_month_fen: number
  income_per_capita_fen: number
  financial_assets_fen: number
  standard_fen: number
  policy_version: string
  as_of: string
  created_at: string
  created_by: number
  created_by_name?: string
}

// A feed record behind a figure.
export interface ResultRecord {
  source: string
  source_name?: string
  row_id?: number
  batch_id?: number
  row?: number
  counted?: boolean
  values?: Record<string, unknown>
}

export interface IncomeLine {
  person_id: number | null
  name: string
  category: string
  category_name: string
  total_fen: number
  month_fen: number
  counted: boolean
  by_month: { month: string; amount_fen: number }[]
  records: ResultRecord[]
}

export interface AssetLine {
  person_id: number | null
  name: string
  category: string
  category_name: string
  amount_fen?: number
  count?: number
  counted: boolean
  records: ResultRecord[]
}

export interface VerifyResult {
  decision: Decision | string
  decision_name?: string
  flags: { code: string; name: string; person_id?: number | null; detail?: string }[]
  policy: {
    version?: string
    county?: string
    urban_rural?: string
    effective_from?: string
    standard_fen?: number
    near_limit_fen?: number
    asset_limit_per_capita_fen?: number
    income_months?: number
    asset_limit_months?: number
    example?: boolean
  }
  as_of?: string
  income_from?: string
  income_to?: string
  members_counted?: number
  members: {
    person_id?: number
    name?: string
    relation?: string
    id_number?: string
    counted?: boolean
    matched?: boolean
    dead?: boolean
    death_date?: string | null
  }[]
  income: {
    total_fen?: number
    month_fen?: number
    per_capita_fen?: number
    by_category?: { category: string; name: string; month_fen: number; counted?: boolean }[]
    by_member?: IncomeLine[]
  }
  assets: {
    financial_fen?: number
    per_capita_fen?: number
    limit_per_capita_fen?: number
    vehicles?: number
    homes?: number
    non_residential?: number
    businesses?: number
    by_category?: { category: string; name: string; value_fen?: number; count?: number }[]
    lines?: AssetLine[]
  }
  rules: { code: string; name: string; outcome: string; reason: string }[]
  feeds?: { source: string; name: string; stale: boolean; present?: boolean; data_date?: string | null }[]
}

export interface VerifyRequestDetail extends VerifyRequest {
  result: VerifyResult
}

export interface VerifyBatch {
  id: number
  title: string
  status: string
  status_name?: string
  job_id?: number | null
  as_of: string
  division?: string
  households_total: number
  verified: number
  skipped_unauthorised: number
  failed: number
  by_decision: Record<string, number>
  by_flag: Record<string, number>
  created_at: string
  created_by: number
  created_by_name?: string
  finished_at?: string | null
}

export interface SuspiciousItem {
  request_id: number
  household_id: number
  head_name: string
  decision: string
  decision_name: string
  income_per_capita_fen?: number
  standard_fen?: number
}

export interface SuspiciousList {
  batch_id: number
  as_of?: string
  groups: {
    flag: string
    flag_name: string
    count: number
    townships: { township: string; township_name: string; count: number; items: SuspiciousItem[] }[]
  }[]
}

export interface RequestQuery {
  household_id?: number | string
  batch_id?: number | string
  decision?: string
  flag?: string
  township?: string
  page?: number
  size?: number
}

// --- feeds ---
export const listSources = () => http.get<{ items: VerifySource[] }>('/verify/sources')
export const listFeeds = (q: { source?: string; period?: string; status?: string; page?: number; size?: number }) =>
  http.get<Page<FeedBatch>>('/verify/feeds', { ...q })
export const getFeed = (id: number | string) => http.get<FeedBatch>(`/verify/feeds/${id}`)
export const listRejects = (id: number | string, page: number, size: number) =>
  http.get<Page<FeedReject>>(`/verify/feeds/${id}/rejects`, { page, size })
export const rejectsCsvUrl = (id: number | string) => buildUrl(`/verify/feeds/${id}/rejects.csv`)

export interface FeedUploadParams {
  source: string
  period: string
  filename: string
  on_reject: 'all_or_nothing' | 'keep_good'
  force?: boolean
}

// The content type the server expects for a feed file, by its extension.
export function feedContentType(filename: string): string {
  const lower = filename.toLowerCase()
  if (lower.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  if (lower.endsWith('.csv')) return 'text/csv'
  return 'application/octet-stream'
}

// Uploads a feed file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload progress
// (onProgress gets 0..100). Resolves with the batch and its import job; rejects with an ApiError.
export function uploadFeed(
  file: Blob,
  params: FeedUploadParams,
  onProgress?: (percent: number) => void,
): Promise<{ batch: FeedBatch; job_id: number }> {
  const query: Query = { ...params, force: params.force ? 'true' : undefined }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildUrl('/verify/feeds', query))
    xhr.withCredentials = true
    xhr.setRequestHeader('Content-Type', feedContentType(params.filename))
    xhr.setRequestHeader('Accept', 'application/json')
    const token = getCsrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(Math.round((100 * e.loaded) / e.total))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'))
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(100)
        try {
          resolve(JSON.parse(xhr.responseText))
        } catch {
          reject(new ApiError(xhr.status, 'http.bad_json', '服务器返回的数据格式有误'))
        }
        return
      }
      const headers = new Headers()
      const rid = xhr.getResponseHeader('X-Request-Id')
      if (rid) headers.set('X-Request-Id', rid)
      reject(await parseError(new Response(xhr.responseText, { status: xhr.status, headers })))
    }
    xhr.send(file)
  })
}

// --- authorisations ---
export const getAuthorisations = (householdId: number | string) =>
  http.get<HouseholdAuthorisations>(`/verify/households/${householdId}/authorisations`)
export const createAuthorisation = (householdId: number | string, a: NewAuthorisation) =>
  http.post<Authorisation>(`/verify/households/${householdId}/authorisations`, a)
export const revokeAuthorisation = (id: number, version: number, reason: string) =>
  http.post<Authorisation>(`/verify/authorisations/${id}/revoke`, { version, reason })

// --- requests and results ---
export const listRequests = (q: RequestQuery) => http.get<Page<VerifyRequest>>('/verify/requests', { ...q })
export const createRequest = (householdId: number, asOf?: string) =>
  http.post<VerifyRequestDetail>('/verify/requests', { household_id: householdId, as_of: asOf || undefined })
export const getRequest = (id: number | string) => http.get<VerifyRequestDetail>(`/verify/requests/${id}`)
export const reportPdfUrl = (id: number | string) => buildUrl(`/verify/requests/${id}/report.pdf`)
export const exportRequestsUrl = (q: RequestQuery, format: 'xlsx' | 'csv') => {
  const { page: _p, size: _s, ...filters } = q
  return buildUrl('/verify/requests/export', { ...filters, format })
}

// --- batch rechecks ---
export const listBatches = (page: number, size: number) => http.get<Page<VerifyBatch>>('/verify/batches', { page, size })
export const createBatch = (b: { household_ids?: number[]; division?: string; as_of?: string; title?: string }) =>
  http.post<{ batch: VerifyBatch; job_id: number }>('/verify/batches', b)
export const getBatch = (id: number | string) => http.get<VerifyBatch>(`/verify/batches/${id}`)
export const getSuspicious = (id: number | string) => http.get<SuspiciousList>(`/verify/batches/${id}/suspicious`)
export const suspiciousXlsxUrl = (id: number | string) => buildUrl(`/verify/batches/${id}/suspicious.xlsx`)

// Downloads a file route (PDF, Excel, CSV) with the session cookie and saves it under the server's name; an error
// answer (403, 404 ...) becomes an ApiError instead of a saved error page.
export async function download(url: string, fallbackName: string): Promise<string> {
  let res: Response
  try {
    res = await fetch(url, { credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  if (!res.ok) throw await parseError(res)
  const name = dispositionName(res.headers.get('Content-Disposition'), fallbackName)
  saveBlob(await res.blob(), name)
  return name
}

export { API_BASE }
