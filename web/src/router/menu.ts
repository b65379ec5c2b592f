// The sidebar: entries point at named routes; an entry shows only if the user holds its route's permission, and
// a group only if one of its entries shows.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { Cpu, DataLine, Document, House, Lock, Odometer, Setting, User, UserFilled } from '@element-plus/icons-vue'
import { Finished, Files, Tickets, Upload } from '@element-plus/icons-vue'
import { FirstAidKit } from '@element-plus/icons-vue'
import { Guide, OfficeBuilding, Warning } from '@element-plus/icons-vue'
import { DataAnalysis, Location } from '@element-plus/icons-vue'
import { Memo } from '@element-plus/icons-vue'
import { routes } from './routes'

export interface MenuItem {
  route: string // route name
  title: string // i18n key
  icon: Component
}

export interface MenuGroup {
  key: string
  title: string
  icon: Component
  children: MenuItem[]
}

export type MenuEntry = MenuItem | MenuGroup

export const menu: MenuEntry[] = [
  { route: 'dashboard', title: 'menu.dashboard', icon: Odometer },
  {
    key: 'registry',
    title: 'menu.registry',
    icon: DataLine,
    children: [
      { route: 'persons', title: 'menu.persons', icon: User },
      { route: 'households', title: 'menu.households', icon: House },
    ],
  },
  {
    key: 'verify',
    title: 'verify.menu.group',
    icon: Finished,
    children: [
      { route: 'verify-feeds', title: 'verify.menu.feeds', icon: Upload },
      { route: 'verify-requests', title: 'verify.menu.requests', icon: Tickets },
      { route: 'verify-batches', title: 'verify.menu.batches', icon: Files },
    ],
  },
  {
    key: 'rescue',
    title: 'rescue.menu.group',
    icon: FirstAidKit,
    children: [
      { route: 'rescue-cases', title: 'rescue.menu.cases', icon: Tickets },
      { route: 'rescue-reports', title: 'rescueReport.menu', icon: Memo },
      { route: 'rescue-whereabouts', title: 'rescueWeb.menu.whereabouts', icon: Location },
      { route: 'rescue-numbers', title: 'rescueWeb.menu.numbers', icon: DataAnalysis },
      { route: 'patrols', title: 'patrol.menu', icon: Guide },
      { route: 'institutions', title: 'institution.menu.institutions', icon: OfficeBuilding },
      { route: 'rectifications', title: 'institution.menu.rectifications', icon: Warning },
    ],
  },
  {
    key: 'system',
    title: 'menu.system',
    icon: Setting,
    children: [
      { route: 'users', title: 'menu.users', icon: UserFilled },
      { route: 'roles', title: 'menu.roles', icon: Lock },
    ],
  },
  { route: 'audit', title: 'menu.audit', icon: Document },
  { route: 'jobs', title: 'menu.jobs', icon: Cpu },
]


function flatten(rs: RouteRecordRaw[], out = new Map<string, string | undefined>()) {
  for (const r of rs) {
    if (typeof r.name === 'string') out.set(r.name, r.meta?.permission)
    if (r.children) flatten(r.children, out)
  }
  return out
}

// Built on first use: layout → menu → routes is an import cycle, so nothing here may touch `routes` at load time.
let permissionOf: Map<string, string | undefined> | null = null

export function routePermission(name: string): string | undefined {
  permissionOf ??= flatten(routes)
  return permissionOf.get(name)
}

export function isGroup(e: MenuEntry): e is MenuGroup {
  return 'children' in e
}

// The menu a user with these permissions sees.
export function visibleMenu(can: (permission: string | undefined) => boolean): MenuEntry[] {
  const out: MenuEntry[] = []
  for (const e of menu) {
    if (isGroup(e)) {
      const children = e.children.filter((c) => can(routePermission(c.route)))
      if (children.length) out.push({ ...e, children })
    } else if (can(routePermission(e.route))) {
      out.push(e)
    }
  }
  return out
}
