// How contract and rating states colour their tags in the institution pages (one mapping for list and details).
import { describe, expect, it } from 'vitest'
import { contractTagType, ratingTagType } from '@/views/rescue/institutions/scoring'

describe('institution tags', () => {
  it('a contract or licence: expired red, expiring amber, valid green, else grey', () => {
    expect(['expired', 'expiring', 'valid', 'none', ''].map(contractTagType)).toEqual(['danger', 'warning', 'success', 'info', 'info'])
  })
  it('an inspection rating: fail red, pass amber, good and excellent green', () => {
    expect(['fail', 'pass', 'good', 'excellent'].map(ratingTagType)).toEqual(['danger', 'warning', 'success', 'success'])
  })
})
