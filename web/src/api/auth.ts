// Sign-in, the current user, password change and TOTP enrolment (platform/auth on the server).
import { http } from './http'

export interface CurrentUser {
  id: number
  username: string
  display_name: string
  role: string
  role_name: string
  division_code: string
  division_name: string
  permissions: string[]
  must_change_password: boolean
  // Not sent by every server version: treat absence as unknown.
  totp_enabled?: boolean
  must_enroll_totp?: boolean
  scope?: 'all' | 'division' | 'own' | string
}

export interface SessionInfo {
  user: CurrentUser
  csrf_token: string
  // Login only: "ok", "password_change_required" or "totp_enrollment_required" (an administrator without TOTP
  // gets no permissions until enrolled).
  status?: string
}

export function login(username: string, password: string, totpCode?: string) {
  const body: Record<string, string> = { username, password }
  if (totpCode) body.totp_code = totpCode
  return http.post<SessionInfo>('/auth/login', body, { skipAuthRedirect: true })
}

export function me() {
  return http.get<SessionInfo>('/auth/me', undefined, { skipAuthRedirect: true })
}

export function logout() {
  return http.post<void>('/auth/logout', {}, { skipAuthRedirect: true })
}

export function changePassword(oldPassword: string, newPassword: string) {
  return http.post<void>('/auth/password', { old_password: oldPassword, new_password: newPassword })
}

export function totpSetup() {
  return http.post<{ secret: string; otpauth_uri: string }>('/auth/totp/setup', {})
}

export function totpConfirm(code: string) {
  return http.post<void>('/auth/totp/confirm', { code })
}
