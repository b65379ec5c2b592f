// How a create/correct form saves: the form's own rules first, then the request with the save button busy; on
// success 已保存 and on to the saved record; a version conflict (someone saved the record meanwhile) warns, and the
// server's per-field errors show beside their fields, the rest as a toast.
import { ref, type Ref } from 'vue'
import { useRouter, type RouteLocationRaw } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { ElMessage, type FormInstance } from 'element-plus'
import { ApiError } from '../api/http'
import { applyFieldErrors, toastError } from '../utils/errors'

export interface FormSubmitOptions {
  // Bound to the el-form: its rules must pass before anything is sent.
  formRef?: Ref<FormInstance | undefined>
  // Bound to the el-form-items' :error; cleared when a save starts.
  serverErrors: Record<string, string>
  // A check of the page's own (e.g. rows of a table) after the errors are cleared: false sends nothing.
  check?: () => boolean
  // The code a 409 must carry to count as a version conflict (any 409 when not given).
  conflictCode?: string
  // Toast the error even when it named fields (for forms whose fields may be scrolled out of sight).
  alwaysToast?: boolean
}

export function useFormSubmit(opts: FormSubmitOptions) {
  const { t } = useI18n()
  const router = useRouter()
  const busy = ref(false)

  // save sends the request and answers where to go once it is saved.
  async function submit(save: () => Promise<RouteLocationRaw>): Promise<void> {
    if (opts.formRef) {
      try {
        await opts.formRef.value?.validate()
      } catch {
        return
      }
    }
    for (const k of Object.keys(opts.serverErrors)) delete opts.serverErrors[k]
    if (opts.check && !opts.check()) return
    busy.value = true
    try {
      const to = await save()
      ElMessage.success(t('common.saved'))
      await router.replace(to)
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && (opts.conflictCode === undefined || e.code === opts.conflictCode)) {
        ElMessage({ type: 'warning', message: t('common.versionConflict'), duration: 6000, showClose: true })
        return
      }
      const named = applyFieldErrors(e, opts.serverErrors)
      if (!named || opts.alwaysToast) toastError(e)
    } finally {
      busy.value = false
    }
  }

  return { busy, submit }
}
