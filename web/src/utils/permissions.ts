// Permission codes in words, for the role list's tags and the audit log's role changes: "registry.person.read" is
// "人员信息 · 查看" (resource, then action). A code whose parts have no message is shown as it is.
import type { Words } from './audit'

// Message keys cannot hold dots (they are paths), so "registry.person" is looked up as perm.registry_person.
export function resourceName({ t, te }: Words, resource: string): string {
  const k = `perm.${resource.replaceAll('.', '_')}`
  return te(k) ? t(k) : resource
}

export function actionWord({ t, te }: Words, action: string): string {
  return te(`perm.${action}`) ? t(`perm.${action}`) : action
}

export function permissionLabel(w: Words, code: string): string {
  const i = code.lastIndexOf('.')
  if (i <= 0) return code
  const resource = code.slice(0, i)
  const action = code.slice(i + 1)
  const r = resourceName(w, resource)
  const a = actionWord(w, action)
  if (r === resource || a === action) return code
  return `${r} · ${a}`
}
