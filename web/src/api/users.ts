// User accounts (system administrator: user.read / user.write).
import { http, type Page } from './http'

export interface Account {
  id: number
  username: string
  display_name: string
  role: string
  role_name?: string
  division_code: string
  division_name?: string
  phone?: string
  disabled?: boolean
  status?: string
  must_change_password?: boolean
  totp_enabled?: boolean
  last_login_at?: string
  created_at?: string
  version: number
}

export interface UserQuery {
  username?: string
  role?: string
  division?: string
  page?: number
  size?: number
}

export interface AccountFields {
  username?: string
  display_name: string
  role: string
  division_code: string
  phone?: string
  version?: number
}

export function isDisabled(a: Account): boolean {
  return a.disabled === true || a.status === 'disabled'
}

export const listUsers = (q: UserQuery) => http.get<Page<Account>>('/users', { ...q })
export const createUser = (f: AccountFields) => http.post<{ user: Account; initial_password: string }>('/users', f)
export const updateUser = (id: number, f: AccountFields) => http.put<Account>(`/users/${id}`, f)
export const disableUser = (id: number) => http.post<Account>(`/users/${id}/disable`, {})
export const enableUser = (id: number) => http.post<Account>(`/users/${id}/enable`, {})
export const resetTotp = (id: number) => http.post<{ user?: Account }>(`/users/${id}/reset-totp`, {})
export const resetPassword = (id: number) =>
  http.post<{ temporary_password: string }>(`/users/${id}/reset-password`, {})
