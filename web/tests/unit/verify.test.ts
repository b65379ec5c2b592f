// The verification (核对) screens' logic: money, form checks in Chinese, the month table of a result, record
// lines, batch progress, download names, and the upload and download calls.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  authorisationBody,
  batchPercent,
  checkAuthorisation,
  checkFeedFile,
  dispositionName,
  FLAG_CODES,
  guessSource,
  incomeByMonth,
  isPeriod,
  monthsBetween,
  outcomeKey,
  previousMonth,
  recordText,
  yuan,
  type AuthorisationForm,
} from '@/utils/verify'
import { download, exportRequestsUrl, feedContentType, uploadFeed } from '@/api/verify'
import { ApiError, setCsrfToken } from '@/api/http'
import { stubFetch } from './fetchStub'

const zh = JSON.parse(readFileSync(path.resolve('src/locales/zh-CN.json'), 'utf8'))
const get = (key: string): unknown => key.split('.').reduce<any>((o, k) => (o ? o[k] : undefined), zh)

describe('yuan', () => {
  it('shows fen as grouped yuan with two decimals', () => {
    expect(yuan(0)).toBe('0.00')
    expect(yuan(5)).toBe('0.05')
    expect(yuan(-5)).toBe('-0.05')
    expect(yuan(123456)).toBe('1,234.56')
    expect(yuan(100000000)).toBe('1,000,000.00')
    expect(yuan(78000)).toBe('780.00')
    expect(yuan(undefined)).toBe('')
  })
})

describe('feed upload checks', () => {
  it('takes only csv and xlsx files, not empty, not over the limit', () => {
    expect(checkFeedFile('hukou.csv', 10)).toBeUndefined()
    expect(checkFeedFile('BANK.XLSX', 10)).toBeUndefined()
    expect(checkFeedFile('hukou.txt', 10)).toBe('verify.feed.errFileType')
    expect(checkFeedFile('hukou.csv', 0)).toBe('verify.feed.errEmpty')
    expect(checkFeedFile('hukou.csv', 9 * 1024 * 1024)).toBe('verify.feed.errTooLarge')
    // every key it answers has a Chinese message
    for (const k of ['verify.feed.errFileType', 'verify.feed.errEmpty', 'verify.feed.errTooLarge']) {
      expect(get(k)).toMatch(/[\u4e00-\u9fa5]/)
    }
  })
  it('accepts a real month as the period', () => {
    expect(isPeriod('2026-10')).toBe(true)
    expect(isPeriod('2026-13')).toBe(false)
    expect(isPeriod('2026-1')).toBe(false)
    expect(isPeriod('')).toBe(false)
    expect(previousMonth('2026-01-15')).toBe('2025-12')
    expect(previousMonth('2026-11-30')).toBe('2026-10')
  })
  it('guesses the source from the file name, longest code first', () => {
    const codes = ['hukou', 'social_insurance', 'tax', 'bank', 'insurance']
    expect(guessSource('social_insurance_2026-10.csv', codes)).toBe('social_insurance')
    expect(guessSource('insurance.xlsx', codes)).toBe('insurance')
    expect(guessSource('Hukou.csv', codes)).toBe('hukou')
    expect(guessSource('taxes.csv', codes)).toBe('')
  })
  it('sends the content type of the extension', () => {
    expect(feedContentType('a.csv')).toBe('text/csv')
    expect(feedContentType('a.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  })
})

const form = (over: Partial<AuthorisationForm> = {}): AuthorisationForm => ({
  signed_on: '2026-11-20',
  signer_name: '张三',
  signed_by_guardian: false,
  guardian_name: '',
  guardian_id_number: '',
  guardian_relation: '',
  form_file: 'SQ-2026-0001',
  notes: '',
  ...over,
})

describe('authorisation form', () => {
  it('accepts a complete adult authorisation', () => {
    expect(checkAuthorisation(form(), false, '2026-11-29')).toEqual({})
  })
  it('names each problem with a Chinese message', () => {
    const e = checkAuthorisation(form({ signed_on: '2026-02-30', signer_name: ' ', form_file: '' }), false, '2026-11-29')
    expect(e).toEqual({
      signed_on: 'verify.auth.errSignedOnInvalid',
      signer_name: 'verify.auth.errSignerRequired',
      form_file: 'verify.auth.errFormFileRequired',
    })
    for (const k of Object.values(e)) expect(get(k)).toMatch(/[\u4e00-\u9fa5]/)
    expect(checkAuthorisation(form({ signed_on: '2026-11-30' }), false, '2026-11-29').signed_on).toBe('verify.auth.errSignedOnFuture')
    expect(checkAuthorisation(form({ signed_on: '' }), false, '2026-11-29').signed_on).toBe('verify.auth.errSignedOnRequired')
  })
  it('requires a guardian for a minor, with a name', () => {
    expect(checkAuthorisation(form(), true, '2026-11-29')).toEqual({ signed_by_guardian: 'verify.auth.errGuardianForMinor' })
    expect(checkAuthorisation(form({ signed_by_guardian: true }), true, '2026-11-29')).toEqual({
      guardian_name: 'verify.auth.errGuardianNameRequired',
    })
    expect(checkAuthorisation(form({ signed_by_guardian: true, guardian_name: '李四' }), true, '2026-11-29')).toEqual({})
  })
  it('sends guardian fields only when a guardian signed', () => {
    expect(authorisationBody(7, form({ guardian_name: '不该发送', notes: ' 备注 ' }))).toEqual({
      person_id: 7,
      signed_on: '2026-11-20',
      signer_name: '张三',
      signed_by_guardian: false,
      form_file: 'SQ-2026-0001',
      notes: '备注',
    })
    const b = authorisationBody(8, form({ signed_by_guardian: true, guardian_name: '李四', guardian_id_number: '11010519491231002x' }))
    expect(b.guardian_name).toBe('李四')
    expect(b.guardian_id_number).toBe('11010519491231002X')
    expect(b.guardian_relation).toBeUndefined()
  })
})

describe('result tables', () => {
  it('lists the months of the period, across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(monthsBetween('2026-03', '2026-02')).toEqual([])
    expect(monthsBetween('x', '2026-02')).toEqual([])
  })
  it('puts each line\'s months in their columns, zero where nothing was reported', () => {
    const { months, rows } = incomeByMonth(
      [
        {
          person_id: 1, name: '张三', category: 'wage', category_name: '工资性收入', total_fen: 240000, month_fen: 40000, counted: true,
          by_month: [{ month: '2026-06', amount_fen: 120000 }, { month: '2026-08', amount_fen: 120000 }], records: [],
        },
        {
          person_id: 2, name: '李四', category: 'pension', category_name: '养老金', total_fen: 60000, month_fen: 10000, counted: true,
          by_month: [{ month: '2026-05', amount_fen: 60000 }, { month: '2027-01', amount_fen: 999 }], records: [],
        },
      ],
      '2026-05',
      '2026-10',
    )
    expect(months).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'])
    expect(rows[0].amounts).toEqual([0, 120000, 0, 120000, 0, 0])
    expect(rows[1].amounts).toEqual([60000, 0, 0, 0, 0, 0]) // a month outside the period is not shown
    expect(rows[0].name).toBe('张三')
  })
  it('writes a feed record in words, money in yuan, codes without their aliases', () => {
    const label = (k: string) => (get(`verify.field.${k}`) as string) ?? k
    const code = (v: string) => (get(`verify.value.${v}`) as string) ?? v
    expect(recordText({ source: 'social_insurance', values: { kind: 'wage|工资|缴费工资', month: '2026-06', amount_fen: 120000 } }, label, code))
      .toBe('类别 工资；月份 2026-06；金额 1,200.00')
    expect(recordText({ source: 'real_estate', values: { property_type: 'residential', area_centi_m2: 8950, registered_on: null } }, label, code))
      .toBe('房产类型 住宅；面积 89.50 m²')
  })
  it('has a Chinese name for every flag and outcome', () => {
    for (const f of FLAG_CODES) expect(get(`verify.flag.${f}`)).toMatch(/[\u4e00-\u9fa5]/)
    for (const o of ['pass', 'fail', 'review', 'n/a']) expect(get(outcomeKey(o))).toMatch(/[\u4e00-\u9fa5]/)
  })
})

describe('batch progress', () => {
  it('counts verified, skipped and failed households against the total', () => {
    expect(batchPercent({ households_total: 200, verified: 50, skipped_unauthorised: 25, failed: 1, status: 'running' })).toBe(38)
    expect(batchPercent({ households_total: 0, verified: 0, skipped_unauthorised: 0, failed: 0, status: 'queued' })).toBe(0)
    expect(batchPercent({ households_total: 3, verified: 1, skipped_unauthorised: 0, failed: 0, status: 'succeeded' })).toBe(100)
  })
})

describe('downloads', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('reads the UTF-8 file name of Content-Disposition first', () => {
    expect(dispositionName(`attachment; filename="verify-report-3.pdf"; filename*=UTF-8''%E6%A0%B8%E5%AF%B9%E6%8A%A5%E5%91%8A-3.pdf`, 'x'))
      .toBe('核对报告-3.pdf')
    expect(dispositionName('attachment; filename="a.csv"', 'x')).toBe('a.csv')
    expect(dispositionName(null, 'x')).toBe('x')
  })
  it('builds the export address from the filters, without paging', () => {
    const url = exportRequestsUrl({ batch_id: 4, decision: 'review', flag: '', page: 2, size: 50 }, 'csv')
    expect(url).toBe('/api/v1/verify/requests/export?batch_id=4&decision=review&format=csv')
  })
  it('turns an error answer into an ApiError instead of saving it', async () => {
    const { sent } = stubFetch({ status: 404, body: { error: { code: 'verify.request.not_found', message: '核对记录不存在' }, request_id: 'r1' } })
    await expect(download('/api/v1/verify/requests/9/report.pdf', 'x.pdf')).rejects.toMatchObject({ status: 404, code: 'verify.request.not_found' })
    expect(sent[0].url).toBe('/api/v1/verify/requests/9/report.pdf')
  })
})

// A stand-in XMLHttpRequest: records what was sent and answers as scripted, reporting upload progress first.
class FakeXhr {
  static last: FakeXhr | null = null
  static reply = { status: 202, body: '{}' }
  method = ''
  url = ''
  headers: Record<string, string> = {}
  sent: unknown = null
  status = 0
  responseText = ''
  withCredentials = false
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  open(method: string, url: string) {
    this.method = method
    this.url = url
    FakeXhr.last = this
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  getResponseHeader() {
    return 'req-9'
  }
  send(body: unknown) {
    this.sent = body
    this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 })
    this.upload.onprogress?.({ lengthComputable: true, loaded: 200, total: 200 })
    this.status = FakeXhr.reply.status
    this.responseText = FakeXhr.reply.body
    setTimeout(() => this.onload?.(), 0)
  }
}

describe('feed upload', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('sends the raw file with the query, the CSRF token, and reports progress', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    setCsrfToken('tok')
    FakeXhr.reply = { status: 202, body: JSON.stringify({ batch: { id: 5, status: 'importing' }, job_id: 11 }) }
    const seen: number[] = []
    const file = new Blob(['id_number,name,status,death_date\n'], { type: 'text/csv' })
    const r = await uploadFeed(file, { source: 'hukou', period: '2026-10', filename: '户籍.csv', on_reject: 'keep_good' }, (p) => seen.push(p))
    expect(r.job_id).toBe(11)
    expect(r.batch.id).toBe(5)
    const x = FakeXhr.last!
    expect(x.method).toBe('POST')
    expect(x.url).toBe('/api/v1/verify/feeds?source=hukou&period=2026-10&filename=%E6%88%B7%E7%B1%8D.csv&on_reject=keep_good')
    expect(x.headers['X-CSRF-Token']).toBe('tok')
    expect(x.headers['Content-Type']).toBe('text/csv')
    expect(x.sent).toBe(file)
    expect(seen).toEqual([25, 100, 100])
  })

  it('rejects with the server\'s error, e.g. a duplicate file', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    FakeXhr.reply = {
      status: 409,
      body: JSON.stringify({
        error: { code: 'verify.feed.duplicate', message: '该文件内容已导入过', details: [{ field: 'existing_batch_id', code: 'x', message: '3' }] },
        request_id: 'r2',
      }),
    }
    const err = await uploadFeed(new Blob(['x']), { source: 'hukou', period: '2026-10', filename: 'h.csv', on_reject: 'all_or_nothing', force: false }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('verify.feed.duplicate')
    expect(err.fieldMessage('existing_batch_id')).toBe('3')
    expect(FakeXhr.last!.url).not.toContain('force')
  })
})
