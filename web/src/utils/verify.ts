// Pure helpers of the verification (核对) screens: money, tag colours, form checks, the month-by-month table of a
// result, batch progress and file names of downloads. No Vue, no network: unit-tested in tests/unit/verify.test.ts.
import type { IncomeLine, NewAuthorisation, ResultRecord, VerifyBatch } from '@/api/verify'
import { isRealDate } from './validators'

// The flag codes in the engine's order (verify/engine/rules.h); names under verify.flag.
export const FLAG_CODES = [
  'member_dead',
  'unmatched_member',
  'vehicle',
  'business',
  'property',
  'assets_over_limit',
  'income_over_standard',
  'income_near_standard',
  'stale_feed',
  'no_counted_member',
] as const

// The i18n key of a rule outcome ("n/a" is not a usable key).
export function outcomeKey(outcome: string): string {
  return `verify.outcome.${outcome === 'n/a' ? 'na' : outcome}`
}

// 123456 fen → "1,234.56" (yuan, grouped, two decimals); null/undefined → "".
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return ''
  const negative = fen < 0
  const a = Math.abs(Math.trunc(fen))
  const whole = Math.floor(a / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${whole}.${String(a % 100).padStart(2, '0')}`
}

export type TagType = 'success' | 'danger' | 'warning' | 'info' | 'primary'

export function decisionTag(decision: string): TagType {
  if (decision === 'eligible') return 'success'
  if (decision === 'ineligible') return 'danger'
  if (decision === 'review') return 'warning'
  return 'info'
}

export function outcomeTag(outcome: string): TagType {
  if (outcome === 'pass') return 'success'
  if (outcome === 'fail') return 'danger'
  if (outcome === 'review') return 'warning'
  return 'info'
}

export function authorisationTag(status: string): TagType {
  if (status === 'valid') return 'success'
  if (status === 'revoked') return 'danger'
  if (status === 'lapsed') return 'warning'
  return 'info'
}

export function feedStatusTag(status: string): TagType {
  if (status === 'imported') return 'success'
  if (status === 'rejected' || status === 'failed') return 'danger'
  return 'primary'
}

// "2026-10": a month the feed covers.
export function isPeriod(s: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(s)
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 1900
}

// The month before `today` (YYYY-MM-DD): agencies send last month's data.
export function previousMonth(today: string): string {
  let y = Number(today.slice(0, 4))
  let m = Number(today.slice(5, 7)) - 1
  if (m === 0) {
    m = 12
    y -= 1
  }
  return `${y}-${String(m).padStart(2, '0')}`
}

// The problem with a feed file before it is sent, as an i18n key under verify.feed, or undefined.
export function checkFeedFile(name: string, size: number, maxBytes = 8 * 1024 * 1024): string | undefined {
  const lower = name.toLowerCase()
  if (!lower.endsWith('.csv') && !lower.endsWith('.xlsx')) return 'verify.feed.errFileType'
  if (size === 0) return 'verify.feed.errEmpty'
  if (size > maxBytes) return 'verify.feed.errTooLarge'
  return undefined
}

// The source a file name suggests ("hukou.csv", "bank_2026-10.xlsx" → "bank"), among the known codes.
export function guessSource(name: string, sources: string[]): string {
  const base = name.toLowerCase().replace(/\.(csv|xlsx)$/, '')
  // Longest code first, so that "social_insurance" is not taken for something shorter inside it.
  for (const s of [...sources].sort((a, b) => b.length - a.length)) {
    if (base === s || base.startsWith(s + '_') || base.startsWith(s + '-') || base.startsWith(s + '.')) return s
  }
  return ''
}

export interface AuthorisationForm {
  signed_on: string
  signer_name: string
  signed_by_guardian: boolean
  guardian_name: string
  guardian_id_number: string
  guardian_relation: string
  form_file: string
  notes: string
}

// Field → i18n key of the problem (under verify.auth). A minor is always signed for by a guardian.
export function checkAuthorisation(f: AuthorisationForm, minor: boolean, today: string): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!f.signed_on) errors.signed_on = 'verify.auth.errSignedOnRequired'
  else if (!isRealDate(f.signed_on)) errors.signed_on = 'verify.auth.errSignedOnInvalid'
  else if (f.signed_on > today) errors.signed_on = 'verify.auth.errSignedOnFuture'
  if (!f.signer_name.trim()) errors.signer_name = 'verify.auth.errSignerRequired'
  if (minor && !f.signed_by_guardian) errors.signed_by_guardian = 'verify.auth.errGuardianForMinor'
  if (f.signed_by_guardian && !f.guardian_name.trim()) errors.guardian_name = 'verify.auth.errGuardianNameRequired'
  if (!f.form_file.trim()) errors.form_file = 'verify.auth.errFormFileRequired'
  return errors
}

export function authorisationBody(personId: number, f: AuthorisationForm): NewAuthorisation {
  const body: NewAuthorisation = {
    person_id: personId,
    signed_on: f.signed_on,
    signer_name: f.signer_name.trim(),
    signed_by_guardian: f.signed_by_guardian,
    form_file: f.form_file.trim(),
  }
  if (f.signed_by_guardian) {
    body.guardian_name = f.guardian_name.trim()
    if (f.guardian_id_number.trim()) body.guardian_id_number = f.guardian_id_number.trim().toUpperCase()
    if (f.guardian_relation.trim()) body.guardian_relation = f.guardian_relation.trim()
  }
  if (f.notes.trim()) body.notes = f.notes.trim()
  return body
}

// The income of a result as a table: one row per member and category, one column per month of the period (in
// order, months without income included), amounts in fen (0 where nothing was reported).
export interface MonthRow {
  key: string
  name: string
  category: string
  counted: boolean
  total_fen: number
  month_fen: number
  amounts: number[]
}

export function monthsBetween(from: string, to: string): string[] {
  if (!isPeriod(from) || !isPeriod(to) || from > to) return []
  const out: string[] = []
  let y = Number(from.slice(0, 4))
  let m = Number(from.slice(5, 7))
  for (let guard = 0; guard < 240; guard++) {
    const s = `${y}-${String(m).padStart(2, '0')}`
    out.push(s)
    if (s === to) break
    m += 1
    if (m === 13) {
      m = 1
      y += 1
    }
  }
  return out
}

export function incomeByMonth(lines: IncomeLine[] | undefined, from: string, to: string): { months: string[]; rows: MonthRow[] } {
  const months = monthsBetween(from, to)
  const index = new Map(months.map((m, i) => [m, i]))
  const rows = (lines ?? []).map((l, i) => {
    const amounts = months.map(() => 0)
    for (const b of l.by_month ?? []) {
      const at = index.get(b.month)
      if (at !== undefined) amounts[at] += b.amount_fen
    }
    return {
      key: `${l.person_id ?? 'x'}-${l.category}-${i}`,
      name: l.name,
      category: l.category_name,
      counted: l.counted,
      total_fen: l.total_fen,
      month_fen: l.month_fen,
      amounts,
    }
  })
  return { months, rows }
}

// A feed record's values in a line ("month 2026-06 · amount_fen 1,200.00"): keys named by `label` (i18n), money
// (…_fen) in yuan, codes with aliases ("wage|工资") shortened to the code.
export function recordText(r: ResultRecord, label: (key: string) => string, code: (value: string) => string): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(r.values ?? {})) {
    if (v === null || v === undefined || v === '') continue
    let text: string
    if (k === 'area_centi_m2' && typeof v === 'number') text = `${(v / 100).toFixed(2)} m²`
    else if (k.endsWith('_fen') && typeof v === 'number') text = yuan(v)
    else if (typeof v === 'string') text = code(v.split('|')[0])
    else text = String(v)
    parts.push(`${label(k)} ${text}`)
  }
  return parts.join('；')
}

// How far a batch recheck is, 0..100, from its counts (the job's own percent is preferred when known).
export function batchPercent(b: Pick<VerifyBatch, 'households_total' | 'verified' | 'skipped_unauthorised' | 'failed' | 'status'>): number {
  if (b.status === 'succeeded') return 100
  if (!b.households_total) return 0
  const done = b.verified + b.skipped_unauthorised + b.failed
  return Math.max(0, Math.min(100, Math.floor((100 * done) / b.households_total)))
}

export function isFinished(status: string): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled'
}

// The file name in a Content-Disposition header: filename* (RFC 5987, UTF-8) first, else filename.
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // fall through
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header)
  return plain ? plain[1].trim() : fallback
}
