// Navigation rules: sign-in first, the forced password change next, then the page's permission (else 403).
import type { LocationQuery, RouteLocationRaw, RouteMeta, Router } from 'vue-router'
import { onPasswordChangeRequired, onUnauthorized } from '@/api/http'
import { useAuthStore } from '@/stores/auth'

export interface AuthView {
  signedIn: boolean
  mustChangePassword: boolean
  mustEnrollTotp?: boolean
  can: (permission: string | undefined) => boolean
}

export interface Target {
  name?: string | symbol | null
  meta: RouteMeta
  fullPath: string
  query: LocationQuery
}

// Where to go instead of `to`, or true to proceed. Pure, so the rules can be tested without a router.
export function decide(to: Target, auth: AuthView): true | RouteLocationRaw {
  if (to.meta.public) {
    if (to.name === 'login' && auth.signedIn && !auth.mustChangePassword && !auth.mustEnrollTotp) {
      return safeRedirect(to.query.redirect)
    }
    return true
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (auth.mustChangePassword && !to.meta.allowPending) {
    return { name: 'change-password', query: { redirect: to.fullPath } }
  }
  if (auth.mustEnrollTotp && !to.meta.allowPending && to.name !== 'totp-setup') {
    return { name: 'totp-setup', query: { redirect: to.fullPath } }
  }
  if (!auth.can(to.meta.permission)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
}

// Only same-site paths: "/registry/persons?page=2" yes; "//evil.example", "https://..." no.
export function safeRedirect(r: unknown): string {
  const s = Array.isArray(r) ? r[0] : r
  if (typeof s === 'string' && s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\')) return s
  return '/'
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (!auth.checked && !to.meta.public) {
      try {
        await auth.fetchMe()
      } catch {
        // server unreachable: the login page shows the error when the user tries
        auth.checked = true
      }
    }
    return decide(to, auth)
  })

  // Any 401 from the API after sign-in means the session timed out: back to login, then back here.
  onUnauthorized(() => {
    const auth = useAuthStore()
    const current = router.currentRoute.value
    const wasSignedIn = auth.signedIn
    auth.clear()
    if (current.name === 'login') return
    void router.push({
      name: 'login',
      query: { redirect: current.fullPath, ...(wasSignedIn ? { expired: '1' } : {}) },
    })
  })

  onPasswordChangeRequired(() => {
    const current = router.currentRoute.value
    if (current.name !== 'change-password') {
      void router.push({ name: 'change-password', query: { redirect: current.fullPath } })
    }
  })
}
