// The rescue console's own arithmetic, checked against values worked out by hand: inspection totals, ratings and
// weak items (the server's bands), the follow-up actions offered per state, patrol counts, coordinates and the
// Shanghai time written to the server.
import { describe, expect, it } from 'vitest'
import { allowedActions, deadlineTagType, isWeak, rating, totalScore } from '@/views/rescue/institutions/scoring'
import { coordinateProblem, countEncounters, shanghaiIso, shanghaiLocal } from '@/views/rescue/patrols/patrolForm'

describe('inspection scoring', () => {
  it('sums the items and rates by band', () => {
    expect(totalScore([{ score: 18 }, { score: 16 }, { score: 11 }, { score: 17 }, { score: 15 }])).toBe(77)
    expect(totalScore([{ score: 5 }, { score: null }, { score: undefined }])).toBe(5)
    expect([100, 90, 89, 75, 74, 60, 59, 0].map(rating)).toEqual(['excellent', 'excellent', 'good', 'good', 'pass', 'pass', 'fail', 'fail'])
  })
  it('calls an item weak under 60 % of its maximum', () => {
    expect(isWeak(11, 20)).toBe(true)
    expect(isWeak(12, 20)).toBe(false)
    expect(isWeak(0, 20)).toBe(true)
  })
  it('offers only the follow-ups the server accepts in each state', () => {
    expect(allowedActions('open')).toEqual(['submit', 'extend', 'note'])
    expect(allowedActions('reopened')).toEqual(['submit', 'extend', 'note'])
    expect(allowedActions('submitted')).toEqual(['verify', 'reopen', 'note'])
    expect(allowedActions('closed')).toEqual(['reopen', 'note'])
    expect(deadlineTagType('overdue')).toBe('danger')
    expect(deadlineTagType('closed')).toBe('success')
  })
})

describe('patrol form', () => {
  it('counts persons by action', () => {
    const c = countEncounters([
      { persons: 2, action: 'advised' },
      { persons: 1, action: 'brought_in' },
      { persons: 3, action: 'advised' },
      { persons: 4, action: 'referred_police' },
      { persons: 1, action: '' },
    ])
    expect(c).toEqual({ persons_met: 11, advised: 5, brought_in: 1, referred_police: 4, referred_hospital: 0, refused: 0 })
  })
  it('checks coordinates as a pair inside China', () => {
    expect(coordinateProblem(null, null)).toBe('')
    expect(coordinateProblem(30.31, 112.25)).toBe('')
    expect(coordinateProblem(30.31, null)).not.toBe('')
    expect(coordinateProblem(112.25, 30.31)).not.toBe('') // swapped
  })
  it('writes Shanghai time with its offset and reads UTC back', () => {
    expect(shanghaiIso('2026-11-01 20:00')).toBe('2026-11-01T20:00:00+08:00')
    expect(shanghaiLocal('2026-11-01T12:00:00.000Z')).toBe('2026-11-01 20:00')
    expect(shanghaiLocal('2026-11-01T17:30:00.000Z')).toBe('2026-11-02 01:30')
  })
})
