// Client-side checks that mirror the server's (src/common/id_number.cc, src/registry/validate.cc), so a form
// marks a mistake before it is sent. The server stays the authority: its field errors are shown as well.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

// The GB 11643 check character for the first 17 digits.
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckCharacter: need 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

// Whether YYYY-MM-DD names a real calendar date.
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (y < 1800 || mo < 1 || mo > 12 || d < 1) return false
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= days[mo - 1]
}

// Today in Asia/Shanghai as YYYY-MM-DD (the server's "today").
export function todayShanghai(now: Date = new Date()): string {
  const shifted = new Date(now.getTime() + 8 * 3600 * 1000)
  return shifted.toISOString().slice(0, 10)
}

export interface IdCheck {
  ok: boolean
  code?: 'required' | 'format' | 'check_digit' | 'birth_date'
  message?: string
  number?: string // normalised 18-character form, upper-case X
  birthDate?: string
  sex?: 1 | 2
}

// Validates an 18-character or legacy 15-digit resident ID number (the address code is left to the server,
// which knows the division history).
export function checkIdNumber(input: string, today: string = todayShanghai()): IdCheck {
  const s = input.trim().toUpperCase()
  if (!s) return { ok: false, code: 'required', message: '请填写身份证号码' }
  let number: string
  if (/^\d{15}$/.test(s)) {
    const first17 = s.slice(0, 6) + '19' + s.slice(6)
    number = first17 + idCheckCharacter(first17)
  } else if (/^\d{17}[\dX]$/.test(s)) {
    number = s
    if (idCheckCharacter(s.slice(0, 17)) !== s[17]) {
      return { ok: false, code: 'check_digit', message: '身份证号码校验位不正确，请核对' }
    }
  } else {
    return { ok: false, code: 'format', message: '身份证号码应为 18 位（末位可为 X）或 15 位数字' }
  }
  const birth = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`
  if (!isRealDate(birth)) {
    return { ok: false, code: 'birth_date', message: '身份证号码中的出生日期无效' }
  }
  if (birth > today) {
    return { ok: false, code: 'birth_date', message: '身份证号码中的出生日期晚于今天' }
  }
  const sex = Number(number[16]) % 2 === 1 ? 1 : 2
  return { ok: true, number, birthDate: birth, sex }
}

// The digits of a mobile (11 digits, 1[3-9]…) or landline (0 + area code + number, 10–12 digits) number without
// spaces, hyphens, brackets or a +86 prefix; "" if it is neither. Same rule as the server's NormalizePhone.
export function normalizePhone(phone: string): string {
  if (/[^\d \-()+]/.test(phone)) return ''
  let d = phone.replace(/\D/g, '')
  if (d.length === 13 && d.startsWith('861')) d = d.slice(2)
  if (/^1[3-9]\d{9}$/.test(d)) return d
  if (d.length >= 10 && d.length <= 12 && d[0] === '0' && d[1] !== '0') return d
  return ''
}

// A birth date: empty is allowed (unknown identity); otherwise a real date not after today.
export function checkBirthDate(s: string, today: string = todayShanghai()): string | undefined {
  if (!s) return undefined
  if (!isRealDate(s)) return '出生日期无效，应为 YYYY-MM-DD 格式的真实日期'
  if (s > today) return '出生日期不能晚于今天'
  return undefined
}

// ---- Element Plus form rules -------------------------------------------------------------------------------

type Callback = (error?: Error) => void
export interface FormRule {
  required?: boolean
  message?: string
  trigger?: string | string[]
  validator?: (rule: unknown, value: unknown, cb: Callback) => void
}

export function requiredRule(message: string, trigger: string | string[] = ['blur', 'change']): FormRule {
  return {
    trigger,
    validator: (_r, v, cb) => {
      const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ||
        (Array.isArray(v) && v.length === 0)
      cb(empty ? new Error(message) : undefined)
    },
  }
}

export function idNumberRule(optional = true): FormRule {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      const s = typeof v === 'string' ? v.trim() : ''
      if (!s && optional) return cb()
      const r = checkIdNumber(s)
      cb(r.ok ? undefined : new Error(r.message))
    },
  }
}

export function phoneRule(): FormRule {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      const s = typeof v === 'string' ? v.trim() : ''
      if (!s) return cb()
      cb(normalizePhone(s) ? undefined : new Error('联系电话应为 11 位手机号码或带区号的固定电话'))
    },
  }
}

export function birthDateRule(): FormRule {
  return {
    trigger: 'change',
    validator: (_r, v, cb) => {
      const msg = checkBirthDate(typeof v === 'string' ? v : '')
      cb(msg ? new Error(msg) : undefined)
    },
  }
}
