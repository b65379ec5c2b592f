// The audit log and its hash-chain verification (audit administrator: audit.read).
import { http, type Page } from './http'

export interface AuditEntry {
  id: number
  at: string
  user_id?: number
  username: string
  role?: string
  ip?: string
  action: string
  object_type: string
  object_id: string
  outcome: 'success' | 'failure' | 'denied' | string
  detail?: string
  request_id?: string
}

export interface AuditQuery {
  username?: string
  action?: string
  object_type?: string
  object_id?: string
  outcome?: string
  from?: string
  to?: string
  page?: number
  size?: number
}

export interface ChainReport {
  ok: boolean
  rows_checked: number
  first_broken_id?: number
  reason?: string
}

export const searchAudit = (q: AuditQuery) => http.get<Page<AuditEntry>>('/audit', { ...q })
export const verifyAudit = () => http.get<ChainReport>('/audit/verify')
