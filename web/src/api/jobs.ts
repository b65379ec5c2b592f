// Long-running jobs (imports, batch verification, reports) with progress (job.read).
import { http, type Page } from './http'

export interface Job {
  id: number | string
  kind: string
  title?: string
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | string
  progress?: number // 0..1 or 0..100
  done?: number
  total?: number
  message?: string
  created_at?: string
  finished_at?: string
  created_by?: string
}

export const listJobs = (q: { page?: number; size?: number; state?: string }) => http.get<Page<Job>>('/jobs', { ...q })
export const getJob = (id: number | string) => http.get<Job>(`/jobs/${id}`)
export const cancelJob = (id: number | string) => http.post<Job>(`/jobs/${id}/cancel`, {})

// Progress as a whole percentage 0..100, from whatever the job reports.
export function percentOf(j: Job): number {
  let p = 0
  if (typeof j.done === 'number' && typeof j.total === 'number' && j.total > 0) p = (100 * j.done) / j.total
  else if (typeof j.progress === 'number') p = j.progress <= 1 ? j.progress * 100 : j.progress
  if (j.state === 'succeeded') p = 100
  return Math.max(0, Math.min(100, Math.round(p)))
}
