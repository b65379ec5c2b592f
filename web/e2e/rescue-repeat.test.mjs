// Browser end-to-end test of repeat visits (重复求助比对) against a running doudi server (DOUDI_E2E_URL) with the
// demo data: two unidentified intakes of the same person at one station → on the second case's page the first is
// suggested with its explanation → confirmed with a reason → the visit history shows the earlier visit and the
// 12-month count is 2. Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// Account: DOUDI_E2E_RESCUE_USER / _PASSWORD / _NEW_PASSWORD, by default the demo's rescue_staff_shashi.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const staff = account('RESCUE') ?? {
  role: 'RESCUE',
  username: 'rescue_staff_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026rweb',
  totpSecret: '',
}

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

async function answerPrompt(page, question, text) {
  const box = page.locator('.el-message-box').filter({ hasText: question })
  await box.waitFor()
  await box.locator('input').fill(text)
  await box.getByRole('button', { name: '确定' }).click()
  await box.waitFor({ state: 'hidden' })
}

// Registers an intake through the API of the signed-in page; returns the created case.
async function intake(page, body) {
  const created = await page.evaluate(async (body) => {
    const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json()
    const res = await fetch('/api/v1/rescue/cases', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }, body)
  assert.equal(created.status, 201, JSON.stringify(created.body))
  return created.body
}

describe('repeat visits (重复求助比对) in the console', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('suggests the earlier visit of the same person and links it on confirmation', async () => {
    await withPage(browser.context, 'rescue-repeat', async (page) => {
      await signIn(page, staff, { path: '/rescue/cases' })
      const name = `自称郑${randomTag()}`
      const person = {
        how_came: 'patrol', patrol_ref: 'XC-E2E-R', sex: 1, height_cm: 163, dialect: '湘语',
        features: '左手缺小指，额头有疤', found_place: '沙市区红门路', name,
      }
      const monthAgo = new Date(Date.now() - 40 * 86400 * 1000).toISOString()
      const first = await intake(page, { ...person, estimated_age: 52, intake_at: monthAgo })
      const second = await intake(page, { ...person, estimated_age: 52 })

      await page.goto(`${baseUrl}/rescue/cases/${second.id}`)
      await page.getByTestId('rescue-case').waitFor()
      const panel = page.getByTestId('repeat-visits')
      await panel.waitFor()
      await panel.getByText('12 个月内求助 1 次').waitFor()
      const table = panel.getByTestId('repeat-visits-table')
      await table.waitFor()
      const row = table.locator('.el-table__row').first()
      assert.match(await row.innerText(), new RegExp(name), 'the earlier visit of the same person comes first')
      assert.match(await row.innerText(), /体貌特征/, 'explained field by field')
      assert.equal(await row.getByRole('link').getAttribute('href'), `/rescue/cases/${first.id}`)

      await row.getByTestId('repeat-confirm').click()
      await answerPrompt(page, '请填写确认为同一人的理由', '本人承认上月来过，特征一致')
      await panel.getByText('已确认同一人').waitFor()

      // The visit history shows the earlier visit, and both count in the 12 months.
      await panel.getByText('12 个月内求助 2 次').waitFor()
      const history = page.locator('.page-card').filter({ has: page.getByRole('heading', { name: '历次求助' }) })
      await history.waitFor()
      assert.equal(await history.locator('.el-table__row').count(), 1)
      expectClean(assert, page)
    })
  })
})
