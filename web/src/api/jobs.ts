// Long-running jobs (imports, batch verification, reports) with progress (job.read).
import { http, type Page } from './http'

// Field names vary between what the platform's job runner sends (status, progress_done/progress_total,
// status_name, created_by_name, error) and shorter forms; the helpers below read either.
export interface Job {
  id: number | string
  kind: string
  title?: string
  state?: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | string
  status?: string
  status_name?: string
  progress?: number // 0..1 or 0..100
  done?: number
  total?: number
  progress_done?: number
  progress_total?: number
  message?: string
  error?: string | null
  created_at?: string
  finished_at?: string | null
  created_by?: string | number
  created_by_name?: string
}

export function stateOf(j: Job): string {
  return String(j.state ?? j.status ?? '')
}

export const listJobs = (q: { page?: number; size?: number; state?: string }) => http.get<Page<Job>>('/jobs', { ...q })
export const getJob = (id: number | string) => http.get<Job>(`/jobs/${id}`)
export const cancelJob = (id: number | string) => http.post<Job>(`/jobs/${id}/cancel`, {})

// Progress as a whole percentage 0..100, from whatever the job reports.
export function percentOf(j: Job): number {
  let p = 0
  const done = j.done ?? j.progress_done
  const total = j.total ?? j.progress_total
  if (typeof done === 'number' && typeof total === 'number' && total > 0) p = (100 * done) / total
  else if (typeof j.progress === 'number') p = j.progress <= 1 ? j.progress * 100 : j.progress
  if (stateOf(j) === 'succeeded') p = 100
  return Math.max(0, Math.min(100, Math.round(p)))
}
