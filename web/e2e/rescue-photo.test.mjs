// Browser end-to-end test of photos on a rescue case (docs/rescue.md "Photos") against a running doudi server
// (DOUDI_E2E_URL) with the demo data: an unidentified person's intake with a photo chosen on the form, the
// thumbnail and the face found shown on the case page, a second photo without a usable face, its withdrawal with a
// reason, and the photo on the public notice page once the notice is published.
// The photographs are the face-api package's demo images (tracing-models/node_modules, installed by
// scripts/fetch-face-models); nothing is downloaded.
//
// Account: DOUDI_E2E_RESCUE_USER / _PASSWORD / _NEW_PASSWORD, by default the demo's rescue_staff_shashi.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { account, baseUrl, expectClean, launch, randomTag, repoRoot, signIn, withPage } from './lib.mjs'

const staff = account('RESCUE') ?? {
  role: 'RESCUE',
  username: 'rescue_staff_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026rweb',
  totpSecret: '',
}
const demo = path.join(repoRoot, 'tracing-models/node_modules/@vladmandic/face-api/demo')

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

async function api(page, method, url, body, anonymous = false) {
  return page.evaluate(
    async ({ method, url, body, anonymous }) => {
      const headers = { Accept: 'application/json' }
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json()
        headers['Content-Type'] = 'application/json'
        headers['X-CSRF-Token'] = me.csrf_token
      }
      const res = await fetch(url, { method, headers, credentials: anonymous ? 'omit' : 'same-origin', body: body ? JSON.stringify(body) : undefined })
      const type = res.headers.get('content-type') ?? ''
      if (!type.includes('json')) return { status: res.status, type, bytes: (await res.arrayBuffer()).byteLength }
      const text = await res.text()
      return { status: res.status, json: text ? JSON.parse(text) : null }
    },
    { method, url, body, anonymous },
  )
}

describe('photos on a rescue case (照片)', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('photo chosen at intake → thumbnail and face on the case page → withdrawn → on the public notice', async () => {
    await withPage(browser.context, 'rescue-photo', async (page) => {
      await signIn(page, staff, { path: '/rescue/cases/new' })
      const features = `右耳垂有痣${randomTag()}`
      const form = page.getByTestId('rescue-intake-form')
      await form.waitFor()
      await page.getByTestId('intake-age').locator('input').fill('40')
      await page.getByTestId('intake-features').fill(features)
      await page.getByTestId('intake-found-place').fill('荆州区荆州中路')
      // Chosen before the case exists: uploaded when the intake is saved.
      await form.getByTestId('photo-file').setInputFiles(path.join(demo, 'sample2.jpg'))
      await form.getByTestId('photo-pending').waitFor()
      await page.getByTestId('intake-save').click()
      await page.waitForURL(/\/rescue\/cases\/\d+$/)
      const caseId = Number(new URL(page.url()).pathname.split('/').pop())

      const panel = page.getByTestId('photo-panel')
      await panel.getByTestId('photo-thumb').first().locator('img').waitFor()
      await panel.getByTestId('photo-face-status').filter({ hasText: '检测到人脸' }).waitFor()
      await panel.getByTestId('photo-face-message').filter({ hasText: '检测到 1 张人脸' }).waitFor()
      const listed = await api(page, 'GET', `/api/v1/rescue/cases/${caseId}/photos`)
      assert.equal(listed.json.items.length, 1)
      const first = listed.json.items[0]
      assert.equal(first.face_status, 'one')
      assert.equal(JSON.stringify(listed.json).includes('descriptor'), false, 'no descriptor leaves the server')
      const bytes = await api(page, 'GET', first.url)
      assert.equal(bytes.status, 200)
      assert.equal(bytes.type, 'image/jpeg')

      // A group photo: several faces, the largest taken, and the caseworker can pick another.
      await panel.getByTestId('photo-file').setInputFiles(path.join(demo, 'sample1.jpg'))
      await panel.getByTestId('photo-face-status').filter({ hasText: '3 张人脸' }).waitFor()
      await panel.getByTestId('photo-face-select').waitFor()

      // Withdrawn with a reason: gone from the list (kept on the server, shown on request).
      const items = panel.getByTestId('photo-item')
      assert.equal(await items.count(), 2)
      await items.nth(1).getByTestId('photo-withdraw').click()
      const box = page.locator('.el-message-box').filter({ hasText: '撤回原因' })
      await box.waitFor()
      await box.locator('input').fill('合影，不宜公开')
      await box.getByRole('button', { name: '确定' }).click()
      await page.getByText('照片已撤回').waitFor()
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="photo-item"]').length === 1)

      // Published, the notice shows the (adult's) photo to the public without login.
      await page.getByTestId('publish').click()
      await page.getByText('寻亲公告已发布').waitFor()
      const pub = await api(page, 'GET', '/api/v1/public/notices?size=100', null, true)
      const mine = pub.json.items.find((n) => n.features === features)
      assert.ok(mine?.photo_url, 'the public notice has its photo')
      const publicBytes = await api(page, 'GET', mine.photo_url, null, true)
      assert.equal(publicBytes.status, 200)
      assert.equal(publicBytes.bytes, bytes.bytes, 'the intake photo, not the withdrawn one')
      await page.goto(`${baseUrl}/public/notices/${mine.id}`)
      await page.locator(`img[src="${mine.photo_url}"]`).waitFor()
      expectClean(assert, page)
    })
  })
})
