// Excel (.xlsx) export of a list, built in the browser by write-excel-file (MIT, fflate inside), which is loaded
// only when the user exports, so it stays out of the first page load.

export interface ExportColumn<T> {
  header: string
  value: (row: T) => string | number | null | undefined
  width?: number // characters
}

export async function buildXlsx<T>(rows: T[], columns: ExportColumn<T>[], sheet = 'Sheet1'): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser')
  const header = columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }))
  const body = rows.map((r) =>
    columns.map((c) => {
      const v = c.value(r)
      if (v === null || v === undefined || v === '') return null
      return typeof v === 'number' ? { value: v, type: Number } : { value: String(v), type: String }
    }),
  )
  return writeXlsxFile([header, ...body], {
    columns: columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2) })),
    sheet,
    stickyRowsCount: 1,
  }).toBlob()
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

// "人员名单_20261130_1425.xlsx"
export function exportFileName(base: string, now: Date = new Date()): string {
  const s = new Date(now.getTime() + 8 * 3600 * 1000).toISOString()
  return `${base}_${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}_${s.slice(11, 13)}${s.slice(14, 16)}.xlsx`
}
