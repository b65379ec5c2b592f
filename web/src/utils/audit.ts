// Audit entries in words: action and object codes, and the detail column, whose content each module chooses
// (a login's failure reason as English text, a reveal's {purpose, fields}, an import's {count, first_id, ...}, a
// new account as [key, value] pairs). Known codes and keys come from the messages; anything unknown (from a module
// added later) is shown as it is rather than hidden.

import { permissionLabel } from './permissions'

// The two functions of vue-i18n used here (useI18n() or i18n.global).
export interface Words {
  t: (key: string) => string
  te: (key: string) => boolean
}

// Message keys cannot hold dots (they are paths): "auth.login" is looked up as auditAction.auth_login.
export function actionName({ t, te }: Words, action: string): string {
  const k = `auditAction.${action.replaceAll('.', '_')}`
  return te(k) ? t(k) : action
}

export function objectName({ t, te }: Words, object: string): string {
  return object && te(`auditObject.${object}`) ? t(`auditObject.${object}`) : object
}

// Where the request came from: an address, or "cli" for the command line.
export function sourceName({ t }: Words, ip: string | undefined): string {
  return ip === 'cli' ? t('audit.cli') : (ip ?? '')
}

// "wrong TOTP code" → auditDetail.wrong_totp_code
const keyOf = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_')

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map(value).join('、')
  if (v && typeof v === 'object') return JSON.stringify(v)
  return String(v ?? '')
}

const scopeKeys: Record<string, string> = { all: 'scopeAll', division: 'scopeDivision', own: 'scopeOwn' }

export function detailText(w: Words, d: string | undefined): string {
  const { t, te } = w
  if (!d) return ''
  const plainKey = `auditDetail.${keyOf(d)}`
  if (/^[\w ]+$/.test(d) && te(plainKey)) return t(plainKey)
  let j: unknown
  try {
    j = JSON.parse(d)
  } catch {
    return d
  }
  // [["username","x"],["role","y"]] is an object written as pairs.
  if (Array.isArray(j) && j.length && j.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
    j = Object.fromEntries(j as [string, unknown][])
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return d
  const fieldNames: Record<string, string> = { id_number: t('person.idNumber'), phone: t('person.phone') }
  const parts: string[] = []
  for (const [k, v] of Object.entries(j as Record<string, unknown>)) {
    if (k === 'purpose') parts.push(`${t('audit.purpose')}：${value(v)}`)
    else if (k === 'fields' && Array.isArray(v)) parts.push(`${t('audit.fields')}：${v.map((f) => fieldNames[String(f)] ?? String(f)).join('、')}`)
    else if (k === 'view' && v === '360') parts.push(t('person.detail'))
    else if (Array.isArray(v) && v.length === 0) continue // "removed": [] says nothing
    else if (k === 'scope' && typeof v === 'string' && te(`role.${scopeKeys[v]}`)) parts.push(`${t('auditDetail.scope')}：${t(`role.${scopeKeys[v]}`)}`)
    else if ((k === 'added' || k === 'removed') && Array.isArray(v)) parts.push(`${t(`auditDetail.${k}`)}：${v.map((c) => permissionLabel(w, String(c))).join('、')}`)
    else parts.push(`${te(`auditDetail.${k}`) ? t(`auditDetail.${k}`) : k}：${value(v)}`)
  }
  return parts.join('；')
}
