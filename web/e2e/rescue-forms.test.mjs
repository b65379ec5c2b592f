// Browser end-to-end test of the rescue forms (打印表单) against a running doudi server (DOUDI_E2E_URL) with the demo
// data: on the case page of a police hand-over, the dropdown offers the forms that apply (求助登记表, 公安机关护送
// 流浪乞讨人员交接单 …, not 不予救助通知书) and a click downloads the PDF under its Chinese name.
// Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// Account: DOUDI_E2E_RESCUE_USER / _PASSWORD / _NEW_PASSWORD, by default the demo's rescue_staff_shashi.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const staff = account('RESCUE') ?? {
  role: 'RESCUE',
  username: 'rescue_staff_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026rweb',
  totpSecret: '',
}

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

describe('rescue forms (打印表单) in the console', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('offers the forms that apply and downloads one as PDF', async () => {
    await withPage(browser.context, 'rescue-forms', async (page) => {
      await signIn(page, staff, { path: '/rescue/cases' })
      const features = `右手背胎记${randomTag()}`
      const created = await page.evaluate(async (features) => {
        const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json()
        const res = await fetch('/api/v1/rescue/cases', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': me.csrf_token },
          body: JSON.stringify({
            how_came: 'police', police_unit: '沙市区公安分局胜利派出所', police_form_ref: 'JS-E2E-1',
            sex: 1, estimated_age: 58, features, found_place: '沙市区胜利街',
          }),
        })
        return { status: res.status, body: await res.json() }
      }, features)
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await page.goto(`${baseUrl}/rescue/cases/${created.body.id}`)
      await page.getByTestId('rescue-case').waitFor()

      await page.getByTestId('rescue-forms').click()
      await page.getByTestId('rescue-form-police_handover').waitFor()
      assert.equal(await page.getByTestId('rescue-form-refusal').count(), 0, 'no refusal notice for a case not refused')
      assert.equal(await page.getByTestId('rescue-form-termination').count(), 0)
      const downloading = page.waitForEvent('download')
      await page.getByTestId('rescue-form-intake').click()
      const file = await downloading
      assert.match(file.suggestedFilename(), /^求助登记表-.*\.pdf$/)
      const bytes = await readFile(await file.path())
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
      assert.ok(bytes.length < 200 * 1024, `${bytes.length} bytes`)
      expectClean(assert, page)
    })
  })
})
