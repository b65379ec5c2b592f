// The missing-person report form's own logic, against values worked out by hand: STR cells in the `doudi dna
// search` format, a pasted profile in its two shapes (locus=cell pairs; a profile CSV's header and row), the
// samples' rules (relation, one father and one mother, a typed locus, at most 10), the phone mask (the server's
// rule) and the form's values to and from the API fields; the numbers page's breakdowns and their shares.
import { describe, expect, it } from 'vitest'
import type { DnaSample, MissingReport } from '@/api/missingReports'
import { cellProblem, cleanProfile, locusKey, parseProfileText, profileLine, samplesProblems } from '@/views/rescue/reports/str'
import { emptyForm, fieldsOf, formOf, maskPhone, nextStatuses } from '@/views/rescue/reports/reportView'
import { numbersTables, share } from '@/views/rescue/stay/numbersTables'

const LOCI = ['D3S1358', 'vWA', 'FGA', 'TH01', 'Penta E', 'D8S1179']

describe('STR cells', () => {
  it('accepts a/b with microvariants and an empty cell', () => {
    for (const c of ['15/16', '9.3/10', '9/9', '100/101', '', '  ']) expect(cellProblem(c)).toBe('')
  })
  it('refuses one allele, ranges, two decimals and words', () => {
    expect(cellProblem('15')).toContain('15/15')
    for (const c of ['9-9.3', '9.33/10', '15/x', 'a/b', '1234/5', '15/16/17']) expect(cellProblem(c)).not.toBe('')
  })
  it('matches locus names as the server does', () => {
    expect(locusKey('Penta E')).toBe('PENTAE')
    expect(locusKey('penta_e')).toBe('PENTAE')
    expect(locusKey('vwa')).toBe(locusKey('vWA'))
  })
})

describe('a pasted profile', () => {
  it('reads locus=cell pairs, in any separators and spelling of the names', () => {
    const r = parseProfileText('d3s1358=15/16, VWA:14/17；FGA 22/24\nPenta_E = 12/13; TH01=9/9.3', LOCI)
    expect(r.problems).toEqual([])
    expect(r.profile).toEqual({ D3S1358: '15/16', vWA: '14/17', FGA: '22/24', 'Penta E': '12/13', TH01: '9/9.3' })
  })
  it('reads the header and first row of a profile CSV, empty cells untyped', () => {
    const text = 'profile_id,family_id,relation,D3S1358,vWA,FGA\nR1,F1,father,15/16,,22/24\n'
    const r = parseProfileText(text, LOCI)
    expect(r.problems).toEqual([])
    expect(r.profile).toEqual({ D3S1358: '15/16', FGA: '22/24' })
  })
  it('reads a header of loci only', () => {
    expect(parseProfileText('TH01,D8S1179\n9/9.3,13/14', LOCI).profile).toEqual({ TH01: '9/9.3', D8S1179: '13/14' })
  })
  it('reports unknown loci and bad cells and keeps the good ones', () => {
    const r = parseProfileText('D3S1358=15/16, NOSUCH=1/2, vWA=14', LOCI)
    expect(r.profile).toEqual({ D3S1358: '15/16' })
    expect(r.problems).toHaveLength(2)
    expect(r.problems[0]).toContain('NOSUCH')
    expect(r.problems[1]).toContain('vWA')
  })
  it('reports a repeated locus with another genotype', () => {
    const r = parseProfileText('FGA=22/24, FGA=21/24', LOCI)
    expect(r.profile).toEqual({ FGA: '22/24' })
    expect(r.problems[0]).toContain('FGA')
  })
  it('reports a CSV row with another number of columns', () => {
    expect(parseProfileText('D3S1358,vWA\n15/16', LOCI).problems[0]).toContain('2 列')
  })
  it('writes a profile back as one line in the table order, read back equal', () => {
    const p = { FGA: '22/24', D3S1358: '15/16', 'Penta E': '12/13' }
    const line = profileLine(p, LOCI)
    expect(line).toBe('D3S1358=15/16, FGA=22/24, Penta E=12/13')
    expect(parseProfileText(line, LOCI).profile).toEqual(p)
  })
})

describe('the samples of a report', () => {
  const sample = (relation: DnaSample['relation'], profile: Record<string, string> = { D3S1358: '15/16' }): DnaSample => ({
    relation,
    name: '',
    profile,
  })
  it('accepts a father and a mother', () => {
    expect(samplesProblems([sample('father'), sample('mother')])).toEqual({ all: '', each: {} })
  })
  it('flags the second father and the second mother, not the first', () => {
    const r = samplesProblems([sample('father'), sample('mother'), sample('father'), sample('sibling'), sample('mother')])
    expect(Object.keys(r.each)).toEqual(['2', '4'])
  })
  it('two "parent" samples and siblings are fine', () => {
    expect(samplesProblems([sample('parent'), sample('parent'), sample('sibling'), sample('sibling')]).each).toEqual({})
  })
  it('needs a relation, a typed locus and well-formed cells', () => {
    const r = samplesProblems([sample(''), sample('self', {}), sample('child', { FGA: '  ' }), sample('child', { FGA: '22' })])
    expect(Object.keys(r.each)).toEqual(['0', '1', '2', '3'])
    expect(r.each[3]).toContain('FGA')
  })
  it('allows 10 samples, not 11', () => {
    expect(samplesProblems(Array.from({ length: 10 }, () => sample('sibling'))).all).toBe('')
    expect(samplesProblems(Array.from({ length: 11 }, () => sample('sibling'))).all).not.toBe('')
  })
  it('sends only typed loci, trimmed', () => {
    expect(cleanProfile({ D3S1358: ' 15/16 ', vWA: '', FGA: '  ' })).toEqual({ D3S1358: '15/16' })
  })
})

describe('the report form', () => {
  it('masks a phone as the server does', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('0716-8123456')).toBe('071*****3456')
    expect(maskPhone('1234567')).toBe('*****67')
    expect(maskPhone('12')).toBe('**')
    expect(maskPhone('138****5678')).toBe('138****5678')
  })
  it('offers the other statuses, reopening included', () => {
    expect(nextStatuses('open')).toEqual(['found', 'closed'])
    expect(nextStatuses('closed')).toEqual(['open', 'found'])
  })
  it('reads a report into the form and back; a masked phone stays as shown, to be kept or replaced', () => {
    const r = {
      ...emptyForm(),
      id: 7,
      division: '421002',
      status: 'open',
      version: 3,
      created_at: '',
      created_by: 1,
      updated_at: '',
      updated_by: 1,
      reporter_name: '王秀英',
      reporter_phone: '138****5678',
      reporter_relation: '妻子',
      name: ' 李建国 ',
      sex: 1,
      age_at_lost: 44,
      lost_date: '2024-12-10',
      samples: [{ relation: 'father', name: '李老汉', profile: { D3S1358: '15/16', vWA: '' } }],
    } as MissingReport
    const f = formOf(r)
    expect(f.reporter_phone).toBe('138****5678')
    expect(fieldsOf(f).reporter_phone).toBe('138****5678')
    expect(f.samples[0].profile).not.toBe(r.samples[0].profile)
    f.reporter_phone = ' 13812345678 '
    const out = fieldsOf(f)
    expect(out.reporter_phone).toBe('13812345678')
    expect(out.name).toBe('李建国')
    expect(out.age_at_lost).toBe(44)
    expect(out.height_cm).toBeNull()
    expect(out.samples).toEqual([{ relation: 'father', name: '李老汉', profile: { D3S1358: '15/16' } }])
    expect(Object.keys(out).sort()).toEqual(Object.keys(emptyForm()).sort())
  })
})

describe('the numbers page tables', () => {
  const stats = {
    from: '2026-11-01',
    to: '2026-11-30',
    rescues: 12,
    persons: 10,
    refused: 1,
    stranded_now: { center: 3, institution: 4, hospital: 1, total: 8 },
    stays_over_10_days: 2,
    notices_published: 5,
    dna_requests: 4,
    reunions: 3,
    reunions_by_source: { police: 1, dna: 2, face: 0 },
  }
  it('breaks the stranded down by place with shares of the total', () => {
    // 3/8 = 37.5 %, 4/8 = 50 %, 1/8 = 12.5 %.
    expect(numbersTables(stats).stranded).toEqual([
      { key: 'center', value: 3, share: '37.5%' },
      { key: 'institution', value: 4, share: '50.0%' },
      { key: 'hospital', value: 1, share: '12.5%' },
      { key: 'total', value: 8, share: '100.0%' },
    ])
  })
  it('breaks the reunions down by how found, sorted, with shares; the flow keeps every other figure', () => {
    // 2/3 = 66.7 %, 1/3 = 33.3 %.
    expect(numbersTables(stats).reunions).toEqual([
      { key: 'dna', value: 2, share: '66.7%' },
      { key: 'face', value: 0, share: '0.0%' },
      { key: 'police', value: 1, share: '33.3%' },
      { key: 'total', value: 3, share: '100.0%' },
    ])
    expect(numbersTables(stats).flow.map((r) => r.value)).toEqual([12, 10, 1, 2, 5, 4, 3])
  })
  it('shows no share of an empty total', () => {
    expect(share(0, 0)).toBe('—')
  })
})
