// The rescue screens' own arithmetic, against values worked out by hand: the 10-day countdown state, temperature
// flags, the whereabouts tally, the numbers as rows and chart bars, corrections as changed fields only, the public
// notice headline and the Shanghai calendar day.
import { describe, expect, it } from 'vitest'
import type { RescueStats, WhereaboutsItem } from '@/api/rescue'
import {
  changedFields,
  countdownState,
  monthToDate,
  noticeHeadline,
  shanghaiToday,
  statRows,
  statsChartOption,
  tallyWhereabouts,
  temperatureFlag,
  versionFieldNames,
} from '@/utils/rescueWeb'

const none = { state: 'none' as const, until: null }

describe('the 10-day countdown', () => {
  it('is "none" when the rule does not apply or the case is closed', () => {
    expect(countdownState({ limit_applies: false }, none, true, '2026-11-30')).toBe('none')
    expect(countdownState({ limit_applies: true, days_left: 3 }, none, false, '2026-11-30')).toBe('none')
  })
  it('warns 2 days ahead and turns red past the limit', () => {
    expect([5, 3, 2, 0, -1].map((n) => countdownState({ limit_applies: true, days_left: n }, none, true, '2026-11-30')))
      .toEqual(['ok', 'ok', 'soon', 'soon', 'over'])
  })
  it('counts an approved extension only while it lasts, and a request not at all', () => {
    const s = { limit_applies: true, days_left: -4 }
    expect(countdownState(s, { state: 'approved', until: '2026-12-10' }, true, '2026-11-30')).toBe('extended')
    expect(countdownState(s, { state: 'approved', until: '2026-11-29' }, true, '2026-11-30')).toBe('over')
    expect(countdownState(s, { state: 'requested', until: '2026-12-10' }, true, '2026-11-30')).toBe('over')
  })
})

describe('care records', () => {
  it('flags fever from 37.3 and a low temperature under 36.0', () => {
    expect([37.2, 37.3, 39, 36, 35.9, null].map(temperatureFlag)).toEqual([null, 'fever', 'fever', null, 'low', null])
  })
})

const w = (location: WhereaboutsItem['location']): WhereaboutsItem => ({
  case_id: 1, name: 'x', identified: false, station_division: '421002', intake_at: '', days: 1, location, since: '',
})

describe('whereabouts', () => {
  it('tallies by placement', () => {
    expect(tallyWhereabouts([w('center'), w('hospital'), w('center'), w('institution'), w('center')]))
      .toEqual({ center: 3, institution: 1, hospital: 1, total: 5 })
    expect(tallyWhereabouts([])).toEqual({ center: 0, institution: 0, hospital: 0, total: 0 })
  })
})

const stats: RescueStats = {
  from: '2026-11-01', to: '2026-11-30', rescues: 14, persons: 11, refused: 2,
  stranded_now: { center: 4, institution: 3, hospital: 1, total: 8 },
  stays_over_10_days: 5, notices_published: 6, dna_requests: 7, reunions: 3,
  reunions_by_source: { police: 1, dna: 2 },
}

describe('numbers', () => {
  it('gives one row per measure, then the reunions by how they were found, sorted', () => {
    const rows = statRows(stats)
    expect(rows.slice(0, 3)).toEqual([{ key: 'rescues', value: 14 }, { key: 'persons', value: 11 }, { key: 'refused', value: 2 }])
    expect(rows.find((r) => r.key === 'stranded_total')?.value).toBe(8)
    expect(rows.slice(-2)).toEqual([{ key: 'reunions_by:dna', value: 2 }, { key: 'reunions_by:police', value: 1 }])
    expect(rows).toHaveLength(13)
  })
  it('charts the flow and the stranded by place', () => {
    const o = statsChartOption(stats, (k) => 'L:' + k)
    expect(o.series[0].data).toEqual([14, 11, 6, 7, 3, 5, 4, 3, 1])
    expect(o.xAxis.data[0]).toBe('L:rescues')
  })
  it('defaults to the month to date', () => {
    expect(monthToDate('2026-11-30')).toEqual(['2026-11-01', '2026-11-30'])
  })
})

describe('corrections', () => {
  it('sends only what changed, empty and null being the same', () => {
    const cur = { name: '', features: '左眉疤痕', estimated_age: 50, height_cm: null }
    expect(changedFields(cur, { name: '', features: '左眉疤痕 ', estimated_age: 52, height_cm: undefined }))
      .toEqual({ estimated_age: 52 })
    expect(changedFields(cur, { name: '张三', features: '', estimated_age: 50, height_cm: 170 }))
      .toEqual({ name: '张三', features: '', height_cm: 170 })
  })
  it('reads the changed field names from a list or an object', () => {
    expect(versionFieldNames({ fields: ['name', 'features'] })).toEqual(['name', 'features'])
    expect(versionFieldNames({ fields: { clothing: 'x' } })).toEqual(['clothing'])
    expect(versionFieldNames({ fields: null })).toEqual([])
  })
})

describe('public notices', () => {
  it('headlines without what is unknown', () => {
    expect(noticeHeadline({ name: null, sex: 1, estimated_age: 52 })).toBe('无名氏，男，约 52 岁')
    expect(noticeHeadline({ name: '李某', sex: 0, estimated_age: null })).toBe('李某')
  })
  it('takes the calendar day in Shanghai, 8 hours ahead of UTC', () => {
    expect(shanghaiToday(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30')
    expect(shanghaiToday(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29')
  })
})

describe('the public notice routes', () => {
  it('are public, outside the console layout, and let a visitor without a session through', async () => {
    const { routes } = await import('@/router/routes')
    const { decide } = await import('@/router/guard')
    for (const name of ['public-notices', 'public-notice']) {
      const r = routes.find((x) => x.name === name)
      expect(r?.meta?.public, name).toBe(true)
    }
    const visitor = { signedIn: false, mustChangePassword: false, can: () => false }
    expect(decide({ name: 'public-notice', meta: { public: true }, fullPath: '/public/notices/7', query: {} }, visitor)).toBe(true)
    // ...while the whereabouts page of the console still asks for a sign-in.
    expect(decide({ name: 'rescue-whereabouts', meta: { permission: 'rescue.read' }, fullPath: '/rescue/whereabouts', query: {} }, visitor))
      .toEqual({ name: 'login', query: { redirect: '/rescue/whereabouts' } })
  })
})
