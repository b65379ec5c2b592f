// Roles, their data scope and permissions (security administrator: role.read / role.write).
import { http, itemsOf } from './http'

export type Scope = 'all' | 'division' | 'own'

export interface Role {
  code: string
  name: string
  scope: Scope | string
  permissions: string[]
  builtin?: boolean
  version: number
}

export interface Permission {
  code: string
  name?: string
  description?: string
  resource?: string
}

export async function listRoles(): Promise<Role[]> {
  return itemsOf<Role>(await http.get<unknown>('/roles'))
}

export async function listPermissions(): Promise<Permission[]> {
  const raw = itemsOf<Permission | string>(await http.get<unknown>('/permissions'))
  return raw.map((p) => (typeof p === 'string' ? { code: p } : p))
}

export const updateRole = (code: string, r: Omit<Role, 'code'>) => http.put<Role>(`/roles/${encodeURIComponent(code)}`, r)
export const createRole = (r: Omit<Role, 'version'>) => http.post<Role>('/roles', r)

// "registry.person.read" belongs to resource "registry.person"; "pii.reveal" to "pii".
export function resourceOf(p: Permission): string {
  if (p.resource) return p.resource
  const i = p.code.lastIndexOf('.')
  return i > 0 ? p.code.slice(0, i) : p.code
}

// Permissions grouped by resource, groups and members in catalogue order.
export function groupPermissions(perms: Permission[]): { resource: string; permissions: Permission[] }[] {
  const groups = new Map<string, Permission[]>()
  for (const p of perms) {
    const r = resourceOf(p)
    if (!groups.has(r)) groups.set(r, [])
    groups.get(r)!.push(p)
  }
  return [...groups].map(([resource, permissions]) => ({ resource, permissions }))
}
