// The photo panel of a case or report and the face part of a candidate: thumbnails with the face status in
// Chinese, the face choice offered only for a photo with several faces, withdrawn photos hidden until asked for,
// no buttons without the write permission; the candidate's similarity, weight and photos compared.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import PhotoPanel from '@/views/rescue/photos/PhotoPanel.vue'
import CandidateFace from '@/views/rescue/photos/CandidateFace.vue'
import { faceOf } from '@/api/rescuePhotos'
import { makeI18n } from '@/locales'
import { stubFetch } from './fetchStub'

const photo = (id: number, faces: number, status: 'active' | 'withdrawn' = 'active') => ({
  id, key: `photo:${id}`, owner_type: 'case', owner_id: 9, file_name: `p${id}.jpg`, content_type: 'image/jpeg',
  size_bytes: 1000, caption: '', width: 400, height: 300, url: `/api/v1/rescue/photos/${id}`,
  face_status: faces === 0 ? 'none' : faces === 1 ? 'one' : 'several',
  face_message: faces === 0 ? '未检测到人脸：照片已保存，但不参与人脸比对' : `检测到 ${faces} 张人脸`,
  faces: Array.from({ length: faces }, (_, i) => ({ score: 0.9, box: { x: 10 * i, y: 20, width: 100 - i, height: 90 } })),
  selected_face: faces ? 0 : null, status, version: 1, created_at: '2025-01-23T02:00:00Z',
  ...(status === 'withdrawn' ? { withdrawn: { reason: '拍错了', at: '2025-01-23T03:00:00Z', by: 3 } } : {}),
})

function mountPanel(canWrite: boolean) {
  setActivePinia(createPinia())
  return mount(PhotoPanel, {
    props: { ownerType: 'case', ownerId: 9, canWrite },
    global: { plugins: [makeI18n('zh-CN')] },
    attachTo: document.body,
  })
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('PhotoPanel', () => {
  it('lists the photos with their face status; withdrawn ones only on request', async () => {
    const { sent } = stubFetch({ status: 200, body: { items: [photo(1, 1), photo(2, 3), photo(3, 0, 'withdrawn')] } })
    const w = mountPanel(true)
    await flushPromises()
    expect(sent[0].url).toContain('/rescue/cases/9/photos')
    const items = w.findAll('[data-testid="photo-item"]')
    expect(items).toHaveLength(2)
    const tags = w.findAll('[data-testid="photo-face-status"]').map((t) => t.text())
    expect(tags).toEqual(['检测到人脸', '3 张人脸'])
    // The face choice only where there are several faces.
    expect(items[0].find('[data-testid="photo-face-select"]').exists()).toBe(false)
    expect(items[1].find('[data-testid="photo-face-select"]').exists()).toBe(true)
    expect(w.findAll('[data-testid="photo-withdraw"]')).toHaveLength(2)
    await w.find('.el-checkbox input').setValue(true)
    expect(w.findAll('[data-testid="photo-item"]')).toHaveLength(3)
    expect(w.text()).toContain('已撤回：拍错了')
  })

  it('offers no upload, withdrawal or face choice without the write permission', async () => {
    stubFetch({ status: 200, body: { items: [photo(2, 3)] } })
    const w = mountPanel(false)
    await flushPromises()
    expect(w.find('[data-testid="photo-upload"]').exists()).toBe(false)
    expect(w.find('[data-testid="photo-withdraw"]').exists()).toBe(false)
    expect(w.find('[data-testid="photo-face-select"]').exists()).toBe(false)
  })
})

describe('the face part of a candidate', () => {
  const explanation = {
    engine: 'fusion',
    face: { similarity: 0.9612, weight: 1.18, threshold: 0.914, photos_compared: { person: 2, report: 3, pairs: 6 }, notice: '人脸相似只用于排序，不能单独认定身份' },
  }
  it('reads the explanation, tolerating its absence', () => {
    expect(faceOf(explanation)?.photos_compared.pairs).toBe(6)
    expect(faceOf({ engine: 'fusion' })).toBeNull()
    expect(faceOf(null)).toBeNull()
    expect(faceOf({ face: { similarity: 'x' } })).toBeNull()
  })
  it('shows the similarity, the signed weight and the photos compared', () => {
    const w = mount(CandidateFace, { props: { explanation }, global: { plugins: [makeI18n('zh-CN')] } })
    expect(w.text()).toContain('相似度 0.961（权重 +1.2）')
    expect(w.text()).toContain('比较 2 × 3 张照片')
    const none = mount(CandidateFace, { props: { explanation: {} }, global: { plugins: [makeI18n('zh-CN')] } })
    expect(none.text()).toBe('无人脸比对')
  })
})
