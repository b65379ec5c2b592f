import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { decide, safeRedirect, type AuthView } from '@/router/guard'
import { routes } from '@/router/routes'
import { visibleMenu, isGroup } from '@/router/menu'

const router = createRouter({ history: createMemoryHistory(), routes })
const at = (path: string) => router.resolve(path)
const who = (perms: string[], mustChange = false): AuthView => ({
  signedIn: true,
  mustChangePassword: mustChange,
  can: (p) => !p || perms.includes(p),
})
const anonymous: AuthView = { signedIn: false, mustChangePassword: false, can: () => false }

describe('decide', () => {
  it('sends the signed-out to login with the page to come back to', () => {
    expect(decide(at('/registry/persons?name=wang&page=2'), anonymous)).toEqual({
      name: 'login',
      query: { redirect: '/registry/persons?name=wang&page=2' },
    })
    expect(decide(at('/login'), anonymous)).toBe(true)
  })

  it('shows 403 for a page the role cannot use, by direct URL too', () => {
    const sysadmin = who(['user.read', 'user.write'])
    expect(decide(at('/audit'), sysadmin)).toEqual({ name: 'forbidden', query: { from: '/audit' } })
    expect(decide(at('/system/users'), sysadmin)).toBe(true)
    expect(decide(at('/registry/persons/12'), sysadmin)).toMatchObject({ name: 'forbidden' })
    expect(decide(at('/dashboard'), sysadmin)).toBe(true)
  })

  it('holds a pending user on the password page', () => {
    const pending = who(['registry.person.read'], true)
    expect(decide(at('/registry/persons'), pending)).toEqual({ name: 'change-password', query: { redirect: '/registry/persons' } })
    expect(decide(at('/account/password'), pending)).toBe(true)
  })

  it('holds an administrator without TOTP on the enrolment page', () => {
    const admin: AuthView = { ...who([]), mustEnrollTotp: true }
    expect(decide(at('/system/users'), admin)).toEqual({ name: 'totp-setup', query: { redirect: '/system/users' } })
    expect(decide(at('/account/totp'), admin)).toBe(true)
  })

  it('sends a signed-in user away from /login to the redirect', () => {
    expect(decide(at('/login?redirect=/audit'), who(['audit.read']))).toBe('/audit')
  })
})

describe('safeRedirect', () => {
  it('only allows same-site paths', () => {
    expect(safeRedirect('/registry/persons?page=2')).toBe('/registry/persons?page=2')
    expect(safeRedirect('//evil.example/x')).toBe('/')
    expect(safeRedirect('https://evil.example')).toBe('/')
    expect(safeRedirect('/\\evil.example')).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
    expect(safeRedirect(['/a', '/b'])).toBe('/a')
  })
})

describe('visibleMenu', () => {
  const names = (perms: string[]) =>
    visibleMenu((p) => !p || perms.includes(p)).flatMap((e) => (isGroup(e) ? [e.key, ...e.children.map((c) => c.route)] : [e.route]))

  it('gives each administrator only their own pages', () => {
    expect(names(['user.read', 'user.write'])).toEqual(['dashboard', 'system', 'users'])
    expect(names(['role.read', 'role.write'])).toEqual(['dashboard', 'system', 'roles'])
    expect(names(['audit.read'])).toEqual(['dashboard', 'audit'])
  })

  it('gives a caseworker the registry', () => {
    expect(names(['registry.person.read', 'registry.household.read', 'job.read'])).toEqual([
      'dashboard', 'registry', 'persons', 'households', 'jobs',
    ])
  })
})
