import { describe, expect, it } from 'vitest'
import { unzipSync, strFromU8 } from 'fflate'
import { buildXlsx, exportFileName } from '@/utils/excel'
import { ageOn, formatDate, formatDateTime, formatNumber } from '@/utils/format'
import { normalizeSections, shapeOf } from '@/utils/sections'
import { countyRows, totals, urbanRuralRows } from '@/utils/stats'
import { divisionPath } from '@/api/dicts'
import { groupPermissions } from '@/api/roles'
import { percentOf } from '@/api/jobs'

describe('format', () => {
  it('shows UTC times in Asia/Shanghai', () => {
    expect(formatDateTime('2026-11-29T19:25:08.123Z')).toBe('2026-11-30 03:25:08')
    expect(formatDateTime('')).toBe('')
  })
  it('shows dates as YYYY-MM-DD or YYYY年MM月DD日', () => {
    expect(formatDate('1949-12-31')).toBe('1949-12-31')
    expect(formatDate('1949-12-31', true)).toBe('1949年12月31日')
  })
  it('groups numbers the zh-CN way', () => {
    expect(formatNumber(1234567)).toBe('1,234,567')
  })
  it('counts whole years', () => {
    expect(ageOn('1990-12-01', '2026-11-30')).toBe(35)
    expect(ageOn('1990-11-30', '2026-11-30')).toBe(36)
  })
})

describe('excel export', () => {
  it('writes a real .xlsx with the header and the rows', async () => {
    const blob = await buildXlsx(
      [{ name: '张三', n: 3 }, { name: '李四', n: 12 }],
      [{ header: '姓名', value: (r) => r.name }, { header: '人数', value: (r) => r.n }],
    )
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()))
    expect(Object.keys(files)).toContain('xl/worksheets/sheet1.xml')
    const all = Object.values(files).map((f) => strFromU8(f)).join('\n')
    for (const s of ['姓名', '人数', '张三', '李四']) expect(all).toContain(s)
    expect(strFromU8(files['xl/worksheets/sheet1.xml'])).toContain('<v>12</v>')
  })
  it('names files by date and time in Shanghai', () => {
    expect(exportFileName('人员名单', new Date('2026-11-29T19:05:00Z'))).toBe('人员名单_20261130_0305.xlsx')
  })
})

describe('360 sections', () => {
  it('accepts a map or a list', () => {
    expect(normalizeSections({ assistance: [{ a: 1 }] })).toEqual([{ key: 'assistance', title: 'assistance', data: [{ a: 1 }] }])
    expect(normalizeSections([{ key: 'rescue', title: '救助管理', items: [] }])).toEqual([{ key: 'rescue', title: '救助管理', data: [] }])
    expect(normalizeSections(null)).toEqual([])
  })
  it('picks a table for records, key/value for one record, text otherwise', () => {
    expect(shapeOf([{ a: 1 }, { b: 2 }])).toMatchObject({ kind: 'table', columns: ['a', 'b'] })
    expect(shapeOf({ x: 1 })).toMatchObject({ kind: 'record', entries: [['x', 1]] })
    expect(shapeOf(['a', 'b'])).toEqual({ kind: 'text', text: 'a，b' })
    expect(shapeOf([])).toEqual({ kind: 'empty' })
  })
})

describe('stats', () => {
  const s = {
    by_county: [{ code: '421002', name: '沙市区', persons: 10, households: 4 }, { county: '421003', county_name: '荆州区', persons: 5, households: 2 }],
    by_urban_rural: [{ urban_rural: 'urban', persons: 9, households: 4 }],
  }
  it('reads county and urban/rural rows and sums when totals are absent', () => {
    expect(countyRows(s).map((r) => r.name)).toEqual(['沙市区', '荆州区'])
    expect(urbanRuralRows(s)[0]).toEqual({ kind: 'urban', name: '', persons: 9, households: 4 })
    expect(totals(s)).toEqual({ persons: 15, households: 6 })
  })
  it('prefers the totals the server sends and keeps the no-household row', () => {
    const server = {
      persons: 120, households: 40,
      by_urban_rural: [
        { urban_rural: 'urban', name: '城市', persons: 70, households: 25 },
        { urban_rural: null, name: '未入户', persons: 12, households: 0 },
      ],
      by_county: [{ county: '421002', county_name: '沙市区', persons: 60, households: 20 }],
    }
    expect(totals(server)).toEqual({ persons: 120, households: 40 })
    expect(urbanRuralRows(server)[1]).toEqual({ kind: '', name: '未入户', persons: 12, households: 0 })
  })
})

describe('small helpers', () => {
  it('walks division code prefixes', () => {
    expect(divisionPath('421003001')).toEqual(['42', '4210', '421003', '421003001'])
    expect(divisionPath('4210')).toEqual(['42', '4210'])
    expect(divisionPath('')).toEqual([])
  })
  it('groups permissions by resource', () => {
    const g = groupPermissions([{ code: 'registry.person.read' }, { code: 'pii.reveal' }, { code: 'registry.person.write' }])
    expect(g.map((x) => [x.resource, x.permissions.length])).toEqual([['registry.person', 2], ['pii', 1]])
  })
  it('reads job progress in any of its forms', () => {
    expect(percentOf({ id: 1, kind: 'x', state: 'running', done: 1, total: 4 })).toBe(25)
    expect(percentOf({ id: 1, kind: 'x', state: 'running', progress: 0.5 })).toBe(50)
    expect(percentOf({ id: 1, kind: 'x', state: 'running', progress: 70 })).toBe(70)
    expect(percentOf({ id: 1, kind: 'x', state: 'succeeded' })).toBe(100)
    expect(percentOf({ id: 1, kind: 'x', status: 'running', progress_done: 3, progress_total: 12 })).toBe(25)
    expect(percentOf({ id: 1, kind: 'x', status: 'running', progress_done: 3, progress_total: 0 })).toBe(0)
  })
})
