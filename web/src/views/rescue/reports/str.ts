// STR profiles in the report form: the cell format of `doudi dna search` ("a/b", an allele being 1–3 digits with an
// optional one-digit microvariant: "15/16", "9.3/10"), the locus names matched as the server matches them
// (upper case, without spaces, '_' and '-': "Penta E" = "PENTAE"), a pasted profile read into {locus: "a/b"}, and
// the rules on a report's samples (at most 10, one father and one mother at most, a typed locus each).
import type { DnaSample } from '@/api/missingReports'
import { MAX_SAMPLES } from '@/api/missingReports'

const ALLELE = String.raw`\d{1,3}(?:\.\d)?`
const CELL = new RegExp(`^${ALLELE}/${ALLELE}$`)

export const locusKey = (name: string) => name.replace(/[\s_-]/g, '').toUpperCase()

// "" when the cell is well formed (or empty: not typed), else the problem in Chinese.
export function cellProblem(cell: string): string {
  const c = cell.trim()
  if (!c) return ''
  if (CELL.test(c)) return ''
  if (new RegExp(`^${ALLELE}$`).test(c)) return `“${c}”应写成两个等位基因，如 ${c}/${c}`
  return `“${c}”格式有误，应为“等位基因/等位基因”，如 15/16 或 9.3/10`
}

export interface ParsedProfile {
  profile: Record<string, string> // canonical locus name -> "a/b"
  problems: string[]
}

// Reads a pasted profile. Two shapes are accepted:
//  - pairs "D3S1358=15/16, vWA 14/17; FGA:22/24" (separated by commas, semicolons, tabs or new lines);
//  - the two lines of a profile CSV: a header of locus names (optionally after profile_id,family_id,relation) and
//    one row of cells in the same columns (the first data row is taken).
// Loci are matched against `loci` (the allele table's names); unknown loci and malformed cells are reported and
// left out, an empty cell is "not typed".
export function parseProfileText(text: string, loci: string[]): ParsedProfile {
  const byKey = new Map(loci.map((l) => [locusKey(l), l]))
  const profile: Record<string, string> = {}
  const problems: string[] = []
  const put = (rawLocus: string, rawCell: string) => {
    const locus = byKey.get(locusKey(rawLocus))
    const cell = rawCell.trim().replace(/\s+/g, '').replace(/[,，]/g, '/')
    if (!locus) {
      problems.push(`未知的基因座“${rawLocus.trim()}”`)
      return
    }
    if (!cell) return
    const p = cellProblem(cell)
    if (p) problems.push(`${locus}：${p}`)
    else if (profile[locus] && profile[locus] !== cell) problems.push(`${locus} 重复且分型不同`)
    else profile[locus] = cell
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const csvLike = lines.length >= 2 && !/[=:]/.test(lines[0]) && lines[0].includes(',')
  if (csvLike) {
    const header = lines[0].split(',').map((s) => s.trim())
    const row = lines[1].split(',')
    const start = header[0]?.toLowerCase() === 'profile_id' ? 3 : 0
    if (row.length !== header.length) problems.push(`表头有 ${header.length} 列，分型行有 ${row.length} 列`)
    for (let i = start; i < header.length; i++) put(header[i], row[i] ?? '')
  } else {
    for (const part of text.split(/[,，;；\t\n]+/)) {
      const s = part.trim()
      if (!s) continue
      // "Penta E=12/13" splits at '=' (or ':'); "vWA 14/17" at the last space.
      const m = /[=:：]/.test(s) ? /^(.+?)\s*[=:：]\s*(.*)$/.exec(s) : /^(.+)\s+(\S+)$/.exec(s)
      if (!m) {
        problems.push(`无法识别“${s}”，应为“基因座=等位基因/等位基因”`)
        continue
      }
      put(m[1], m[2])
    }
  }
  return { profile, problems }
}

// The profile as one pasteable line, in the table's locus order.
export function profileLine(profile: Record<string, string>, loci: string[]): string {
  const order = loci.length ? loci.filter((l) => profile[l]) : Object.keys(profile)
  for (const k of Object.keys(profile)) if (!order.includes(k)) order.push(k)
  return order.map((l) => `${l}=${profile[l]}`).join(', ')
}

// Problems of the samples as a whole and per sample (index -> message); empty when they may be sent.
export function samplesProblems(samples: DnaSample[]): { all: string; each: Record<number, string> } {
  const each: Record<number, string> = {}
  let all = ''
  if (samples.length > MAX_SAMPLES) all = `DNA 参照样本最多 ${MAX_SAMPLES} 份`
  const seen: Record<string, number> = {}
  samples.forEach((s, i) => {
    if (!s.relation) {
      each[i] = '请选择与走失人员的关系'
      return
    }
    if (s.relation === 'father' || s.relation === 'mother') {
      if (seen[s.relation] !== undefined) {
        each[i] = s.relation === 'father' ? '父亲样本只能有一份' : '母亲样本只能有一份'
        return
      }
      seen[s.relation] = i
    }
    const typed = Object.values(s.profile).filter((c) => c && c.trim())
    if (!typed.length) {
      each[i] = 'STR 分型至少应有一个已检出的基因座'
      return
    }
    const bad = Object.entries(s.profile).find(([, c]) => cellProblem(c))
    if (bad) each[i] = `${bad[0]}：${cellProblem(bad[1])}`
  })
  return { all, each }
}

// The profile without untyped loci, trimmed, as the API takes it.
export function cleanProfile(profile: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(profile)) if (v && v.trim()) out[k] = v.trim()
  return out
}
