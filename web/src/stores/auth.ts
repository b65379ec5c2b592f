// The signed-in user: who they are, what they may do, and the session's CSRF token.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import { ApiError, setCsrfToken } from '@/api/http'

export type LoginOutcome = 'ok' | 'totp_required'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<authApi.CurrentUser | null>(null)
  // Whether /auth/me has been asked once since the page loaded (the router waits for it).
  const checked = ref(false)
  // An administrator signed in without TOTP: holds no permissions until the second factor is enrolled.
  const mustEnrollTotp = ref(false)

  const signedIn = computed(() => user.value !== null)
  const permissions = computed(() => new Set(user.value?.permissions ?? []))
  const mustChangePassword = computed(() => user.value?.must_change_password === true)

  function can(permission: string | undefined): boolean {
    return !permission || permissions.value.has(permission)
  }

  function canAny(list: string[]): boolean {
    return list.length === 0 || list.some((p) => permissions.value.has(p))
  }

  function accept(s: authApi.SessionInfo) {
    user.value = s.user
    setCsrfToken(s.csrf_token ?? '')
    checked.value = true
    if (s.status !== undefined) mustEnrollTotp.value = s.status === 'totp_enrollment_required'
    if (typeof s.user.must_enroll_totp === 'boolean') mustEnrollTotp.value = s.user.must_enroll_totp
  }

  // After POST /auth/totp/confirm succeeded: the session now carries the role's permissions.
  async function totpEnrolled() {
    mustEnrollTotp.value = false
    await fetchMe()
  }

  // Loads the current user; resolves null when not signed in (401), throws on other failures.
  async function fetchMe(): Promise<authApi.CurrentUser | null> {
    try {
      accept(await authApi.me())
      return user.value
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        clear()
        checked.value = true
        return null
      }
      throw e
    }
  }

  // 'totp_required' when the server wants the second factor: call again with the code (and the password).
  async function login(username: string, password: string, totpCode?: string): Promise<LoginOutcome> {
    try {
      accept(await authApi.login(username, password, totpCode))
      return 'ok'
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && e.code === 'auth.totp_required') return 'totp_required'
      throw e
    }
  }

  async function logout() {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  async function changePassword(oldPassword: string, newPassword: string) {
    await authApi.changePassword(oldPassword, newPassword)
    if (user.value) user.value = { ...user.value, must_change_password: false }
  }

  // Forgets the session locally (after logout or when the server says it has expired).
  function clear() {
    user.value = null
    mustEnrollTotp.value = false
    setCsrfToken('')
  }

  return { user, checked, signedIn, permissions, mustChangePassword, mustEnrollTotp, can, canAny, fetchMe, login,
    logout, changePassword, totpEnrolled, clear }
})
