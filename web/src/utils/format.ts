// Display formats for zh-CN: dates as YYYY-MM-DD (or YYYY年MM月DD日), times in Asia/Shanghai, grouped numbers.

const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

// "1949-12-31" or "1949-12-31T..." → "1949-12-31"; "" stays ""; `chinese` gives "1949年12月31日".
export function formatDate(s: string | null | undefined, chinese = false): string {
  if (!s) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  if (!m) return s
  return chinese ? `${m[1]}年${m[2]}月${m[3]}日` : `${m[1]}-${m[2]}-${m[3]}`
}

// An ISO-8601 UTC time → "2026-11-30 03:25:08" in Asia/Shanghai.
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = Object.fromEntries(dateTimeFmt.formatToParts(d).map((p) => [p.type, p.value]))
  const hour = parts.hour === '24' ? '00' : parts.hour
  return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute}:${parts.second}`
}

const numberFmt = new Intl.NumberFormat('zh-CN')

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return numberFmt.format(n)
}

// Whole years from birth (YYYY-MM-DD) to today (YYYY-MM-DD); undefined if either is malformed.
export function ageOn(birth: string, today: string): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birth)
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today)
  if (!b || !t) return undefined
  let age = Number(t[1]) - Number(b[1])
  if (t[2] + t[3] < b[2] + b[3]) age--
  return age
}
