// A form's save: its rules first, then the request; 已保存 and on to the record, a version conflict warned, the
// server's field errors beside their fields and only the rest toasted.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, reactive } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { makeI18n } from '@/locales'
import { useFormSubmit, type FormSubmitOptions } from '@/composables/useFormSubmit'

vi.mock('element-plus', async (orig) => {
  const real = await orig<typeof import('element-plus')>()
  const msg = Object.assign(vi.fn(), { success: vi.fn() })
  return { ...real, ElMessage: msg }
})

async function setup(opts: Omit<FormSubmitOptions, 'serverErrors'>) {
  const serverErrors = reactive<Record<string, string>>({ name: '旧的错误' })
  let api!: ReturnType<typeof useFormSubmit>
  const Form = defineComponent({
    setup() {
      api = useFormSubmit({ ...opts, serverErrors })
      return () => h('form')
    },
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/form', name: 'form', component: { render: () => h('div') } },
      { path: '/thing/:id', name: 'thing', component: { render: () => h('div') } },
    ],
  })
  await router.push('/form')
  mount(Form, { global: { plugins: [router, makeI18n('zh-CN')] } })
  return { serverErrors, router, api }
}

const message = ElMessage as unknown as ReturnType<typeof vi.fn> & { success: ReturnType<typeof vi.fn> }

afterEach(() => {
  vi.clearAllMocks()
})

describe('useFormSubmit', () => {
  it('saves, says 已保存 and goes on to the saved record', async () => {
    const { serverErrors, router, api } = await setup({})
    let busyDuring = false
    await api.submit(async () => {
      busyDuring = api.busy.value
      return { name: 'thing', params: { id: 7 } }
    })
    await flushPromises()
    expect(busyDuring).toBe(true)
    expect(api.busy.value).toBe(false)
    expect(serverErrors).toEqual({})
    expect(message.success).toHaveBeenCalledWith('已保存')
    expect(router.currentRoute.value.fullPath).toBe('/thing/7')
  })

  it('sends nothing when the form rules or the page check fail', async () => {
    const save = vi.fn(async () => ({ name: 'thing', params: { id: 1 } }))
    const failing = { value: { validate: () => Promise.reject(new Error('invalid')) } }
    const a = await setup({ formRef: failing as never })
    await a.api.submit(save)
    expect(a.serverErrors).toEqual({ name: '旧的错误' }) // the form's own messages stand; nothing was sent
    const b = await setup({ check: () => false })
    await b.api.submit(save)
    expect(b.serverErrors).toEqual({})
    expect(save).not.toHaveBeenCalled()
  })

  it('puts field errors beside their fields and toasts only what names no field', async () => {
    const { serverErrors, router, api } = await setup({})
    await api.submit(async () => {
      throw new ApiError(400, 'invalid', '名称不能为空', [{ field: 'name', code: 'required', message: '名称不能为空' }])
    })
    expect(serverErrors).toEqual({ name: '名称不能为空' })
    expect(message).not.toHaveBeenCalled()
    await api.submit(async () => {
      throw new ApiError(500, 'internal', '服务器内部错误', [], 'req1')
    })
    expect(serverErrors).toEqual({})
    expect(message).toHaveBeenCalledWith(expect.objectContaining({ type: 'error', message: '服务器内部错误（请求编号：req1）' }))
    expect(router.currentRoute.value.fullPath).toBe('/form')
  })

  it('alwaysToast toasts field errors too', async () => {
    const { serverErrors, api } = await setup({ alwaysToast: true })
    await api.submit(async () => {
      throw new ApiError(400, 'invalid', '坐标有误', [{ field: 'places[0].lat', code: 'range', message: '坐标有误' }])
    })
    expect(serverErrors).toEqual({ 'places[0].lat': '坐标有误' })
    expect(message).toHaveBeenCalledWith(expect.objectContaining({ type: 'error', message: '坐标有误' }))
  })

  it('warns of a version conflict; with conflictCode only a 409 of that code', async () => {
    const a = await setup({})
    await a.api.submit(async () => {
      throw new ApiError(409, 'anything', '冲突')
    })
    expect(message).toHaveBeenCalledWith(expect.objectContaining({ type: 'warning', message: '该记录已被他人修改，请刷新后重新编辑' }))
    vi.clearAllMocks()
    const b = await setup({ conflictCode: 'version_conflict' })
    await b.api.submit(async () => {
      throw new ApiError(409, 'household.member_taken', '该人员已在其他家庭户')
    })
    expect(message).toHaveBeenCalledWith(expect.objectContaining({ type: 'error', message: '该人员已在其他家庭户' }))
    expect(message).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'warning' }))
  })
})
