import { describe, expect, it } from 'vitest'
import { checkBirthDate, checkIdNumber, idCheckCharacter, isRealDate, normalizePhone, todayShanghai } from '@/utils/validators'

// Check characters worked out by hand: sum of digit × weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mod 11,
// index into "10X98765432".
//   11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'
//   42100319900101123: 28+18+10+0+0+12+2+9+54+0+0+9+0+5+8+8+6 = 169; 169 mod 11 = 4 → '8'
//   11010519490230002: 155; 155 mod 11 = 1 → '0'   (check digit right, 30 February wrong)
//   11010520991231002: 190; 190 mod 11 = 3 → '9'   (born 2099)
const TODAY = '2026-11-30'

describe('idCheckCharacter', () => {
  it('matches the hand-worked values', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X')
    expect(idCheckCharacter('42100319900101123')).toBe('8')
    expect(idCheckCharacter('11010519490230002')).toBe('0')
    expect(idCheckCharacter('11010520991231002')).toBe('9')
  })
})

describe('checkIdNumber', () => {
  it('accepts a valid number with X, in either case, and derives birth date and sex', () => {
    const r = checkIdNumber('11010519491231002x', TODAY)
    expect(r).toMatchObject({ ok: true, number: '11010519491231002X', birthDate: '1949-12-31', sex: 2 })
    expect(checkIdNumber('421003199001011238', TODAY)).toMatchObject({ ok: true, birthDate: '1990-01-01', sex: 1 })
  })

  it('rejects a wrong check character', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toMatchObject({ ok: false, code: 'check_digit' })
    expect(checkIdNumber('421003199001011237', TODAY)).toMatchObject({ ok: false, code: 'check_digit' })
  })

  it('converts the 15-digit legacy form by inserting 19 and computing the check character', () => {
    expect(checkIdNumber('110105491231002', TODAY)).toMatchObject({ ok: true, number: '11010519491231002X', sex: 2 })
  })

  it('rejects an impossible or future birth date even with a right check digit', () => {
    expect(checkIdNumber('110105194902300020', TODAY)).toMatchObject({ ok: false, code: 'birth_date' })
    expect(checkIdNumber('110105209912310029', TODAY)).toMatchObject({ ok: false, code: 'birth_date' })
  })

  it('rejects wrong lengths and characters', () => {
    for (const s of ['1101051949123100', '11010519491231002XX', '1101051949123100A2', 'X10105194912310021']) {
      expect(checkIdNumber(s, TODAY)).toMatchObject({ ok: false, code: 'format' })
    }
    expect(checkIdNumber('  ', TODAY)).toMatchObject({ ok: false, code: 'required' })
  })
})

describe('dates', () => {
  it('knows leap years', () => {
    expect(isRealDate('2000-02-29')).toBe(true)
    expect(isRealDate('2024-02-29')).toBe(true)
    expect(isRealDate('1900-02-29')).toBe(false)
    expect(isRealDate('2023-02-29')).toBe(false)
    expect(isRealDate('2023-04-31')).toBe(false)
    expect(isRealDate('2023-13-01')).toBe(false)
    expect(isRealDate('2023-1-01')).toBe(false)
  })

  it('checks a birth date is real and not in the future', () => {
    expect(checkBirthDate('', TODAY)).toBeUndefined()
    expect(checkBirthDate('2026-11-30', TODAY)).toBeUndefined()
    expect(checkBirthDate('2026-12-01', TODAY)).toMatch(/晚于今天/)
    expect(checkBirthDate('2026-02-30', TODAY)).toMatch(/无效/)
  })

  it('takes today in Asia/Shanghai (UTC+8)', () => {
    expect(todayShanghai(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29')
    expect(todayShanghai(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30')
  })
})

describe('normalizePhone', () => {
  it('keeps mobile and landline digits like the server', () => {
    expect(normalizePhone('13812345678')).toBe('13812345678')
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678')
    expect(normalizePhone('(0716) 8123456')).toBe('07168123456')
    expect(normalizePhone('027-87654321')).toBe('02787654321')
  })

  it('rejects what is neither', () => {
    expect(normalizePhone('12345678901')).toBe('')
    expect(normalizePhone('1381234567')).toBe('')
    expect(normalizePhone('00123456789')).toBe('')
    expect(normalizePhone('138 1234 567a')).toBe('')
    expect(normalizePhone('')).toBe('')
  })
})
