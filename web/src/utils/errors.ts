// Turning API failures into what a page shows: a message plus the request id, and field errors for forms.
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  return new ApiError(0, 'client', e instanceof Error ? e.message : String(e))
}

// "message（请求编号：abc123）" for toasts.
export function errorText(e: unknown): string {
  const err = asApiError(e)
  return err.requestId ? `${err.message}（请求编号：${err.requestId}）` : err.message
}

export function toastError(e: unknown): void {
  if (e instanceof DOMException && e.name === 'AbortError') return
  ElMessage({ type: 'error', message: errorText(e), duration: 6000, showClose: true })
}

// Copies the server's per-field errors into `target` (bound to el-form-item :error); returns whether any field
// was named, so the caller can toast the rest.
export function applyFieldErrors(e: unknown, target: Record<string, string>): boolean {
  for (const k of Object.keys(target)) delete target[k]
  if (!(e instanceof ApiError)) return false
  let any = false
  for (const d of e.details) {
    if (d.field && d.message && !target[d.field]) {
      target[d.field] = d.message
      any = true
    }
  }
  return any
}
