// What the report pages share: the phone as shown until revealed (the server's rule, common/id_number.cc
// MaskPhone; a phone already masked stays as it is), status colours and transitions, and the form's values to
// and from the API's fields.
import type { MissingReport, ReportFields, ReportStatus } from '@/api/missingReports'
import { divisionPath, getDivisions } from '@/api/dicts'
import { cleanProfile } from './str'

export function maskPhone(phone: string): string {
  if (!phone || phone.includes('*')) return phone
  if (phone.length >= 8) return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
  if (phone.length <= 2) return '*'.repeat(phone.length)
  return '*'.repeat(phone.length - 2) + phone.slice(-2)
}

export const isMasked = (phone: string) => phone.includes('*')

export function statusTagType(s: string): 'primary' | 'success' | 'info' {
  return s === 'open' ? 'primary' : s === 'found' ? 'success' : 'info'
}

// The statuses a report may be moved to from `s` (any other than its own: a found or closed report may reopen).
export function nextStatuses(s: ReportStatus): ReportStatus[] {
  return (['open', 'found', 'closed'] as ReportStatus[]).filter((x) => x !== s)
}

// The form edits exactly the fields the API takes.
export type ReportForm = ReportFields

export function emptyForm(): ReportForm {
  return {
    reporter_name: '',
    reporter_phone: '',
    reporter_relation: '',
    name: '',
    sex: 0,
    birth_date: '',
    age_at_lost: null,
    lost_date: '',
    lost_division: '',
    lost_place: '',
    hukou_division: '',
    height_cm: null,
    features: '',
    dialect: '',
    note: '',
    photos: [],
    samples: [],
  }
}

// A report read into the form. A masked phone (the user may not see it) is left empty, to be typed again.
export function formOf(r: MissingReport): ReportForm {
  return {
    ...emptyForm(),
    ...Object.fromEntries(Object.keys(emptyForm()).map((k) => [k, (r as unknown as Record<string, unknown>)[k]])),
    reporter_phone: r.reporter_phone, // a masked number sent back unchanged keeps the stored one (the server's rule)
    age_at_lost: r.age_at_lost ?? null,
    height_cm: r.height_cm ?? null,
    photos: [...(r.photos ?? [])],
    samples: (r.samples ?? []).map((s) => ({ relation: s.relation, name: s.name, profile: { ...s.profile } })),
  } as ReportForm
}

// The form as the API takes it: texts trimmed, untyped loci left out.
export function fieldsOf(f: ReportForm): ReportFields {
  const t = (s: string) => (s ?? '').trim()
  return {
    reporter_name: t(f.reporter_name),
    reporter_phone: t(f.reporter_phone),
    reporter_relation: t(f.reporter_relation),
    name: t(f.name),
    sex: f.sex,
    birth_date: f.birth_date || '',
    age_at_lost: f.age_at_lost ?? null,
    lost_date: f.lost_date || '',
    lost_division: f.lost_division || '',
    lost_place: t(f.lost_place),
    hukou_division: f.hukou_division || '',
    height_cm: f.height_cm ?? null,
    features: t(f.features),
    dialect: t(f.dialect),
    note: t(f.note),
    photos: f.photos,
    samples: f.samples.map((s) => ({ relation: s.relation, name: t(s.name), profile: cleanProfile(s.profile) })),
  }
}

// "湖北省 荆州市 沙市区" for a division code, read level by level from GET /divisions (the code itself when a
// level is not found).
export async function divisionFullName(code: string): Promise<string> {
  const names: string[] = []
  let parent = ''
  for (const prefix of divisionPath(code)) {
    const found = (await getDivisions(parent)).find((d) => d.code === prefix)
    if (!found) return names.length ? `${names.join(' ')} ${code}` : code
    names.push(found.name)
    parent = prefix
  }
  return names.join(' ')
}
