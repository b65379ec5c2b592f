// The patrol form's rules that can be checked before sending (the server checks them again): the counts by action,
// the pair of coordinates inside China, and the time as ISO-8601 with the Shanghai offset.
import type { PatrolAction, PatrolCounts, PatrolEncounter } from '@/api/patrols'

export function countEncounters(encounters: Pick<PatrolEncounter, 'persons' | 'action'>[]): PatrolCounts {
  const c: PatrolCounts = { persons_met: 0, advised: 0, brought_in: 0, referred_police: 0, referred_hospital: 0, refused: 0 }
  for (const e of encounters) {
    const n = Number(e.persons) || 0
    c.persons_met += n
    if (e.action) c[e.action as PatrolAction] += n
  }
  return c
}

// '' when fine, else the problem in Chinese (same bounds as src/rescue/patrol_service.cc).
export function coordinateProblem(lat: number | null | undefined, lng: number | null | undefined): string {
  const hasLat = lat !== null && lat !== undefined && !Number.isNaN(lat)
  const hasLng = lng !== null && lng !== undefined && !Number.isNaN(lng)
  if (hasLat !== hasLng) return '经度和纬度应同时填写或同时不填'
  if (!hasLat) return ''
  if (lat! < 3.5 || lat! > 54 || lng! < 73 || lng! > 136) return '坐标不在中国境内，请检查经纬度是否填反'
  return ''
}

// "2026-11-01 20:00" (a picker's value in Shanghai time) -> "2026-11-01T20:00:00+08:00".
export function shanghaiIso(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(local.trim())
  if (!m) return local
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+08:00`
}

// A stored UTC time ("2026-11-01T12:00:00.000Z") -> "2026-11-01 20:00" in Shanghai.
export function shanghaiLocal(utc: string): string {
  const t = Date.parse(utc)
  if (Number.isNaN(t)) return utc
  const d = new Date(t + 8 * 3600 * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}
