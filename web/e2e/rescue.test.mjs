// Browser end-to-end test of the rescue station's workflow against a running doudi server (DOUDI_E2E_URL) with the
// demo data: intake of an unidentified person at night (with a belonging), the family-search notice published and
// visible on the public page without login (and without the health detail), a face candidate fed by the engine
// confirmed with a reason, the belonging returned against a signature, and the person escorted home.
// Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
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

// JSON from the API with the page's session (and its CSRF token for a POST); anonymous drops the cookie.
async function api(page, method, url, body, anonymous = false) {
  return page.evaluate(
    async ({ method, url, body, anonymous }) => {
      const headers = { Accept: 'application/json' }
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json()
        headers['Content-Type'] = 'application/json'
        headers['X-CSRF-Token'] = me.csrf_token
      }
      const res = await fetch(url, {
        method,
        headers,
        credentials: anonymous ? 'omit' : 'same-origin',
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`)
      return text ? JSON.parse(text) : null
    },
    { method, url, body, anonymous },
  )
}

// Answers the ElMessageBox.prompt asking `question`.
async function answerPrompt(page, question, text) {
  const box = page.locator('.el-message-box').filter({ hasText: question })
  await box.waitFor()
  await box.locator('input').fill(text)
  await box.getByRole('button', { name: '确定' }).click()
  await box.waitFor({ state: 'hidden' })
}

describe('rescue station (救助管理) in the console', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('intake → notice on the public page → candidate confirmed → escorted home', async () => {
    await withPage(browser.context, 'rescue-flow', async (page) => {
      await signIn(page, staff, { path: '/rescue/cases/new' })
      const features = `左眉上方疤痕${randomTag()}`
      const form = page.getByTestId('rescue-intake-form')
      await form.waitFor()
      await page.getByTestId('intake-age').locator('input').fill('52')
      await page.getByTestId('intake-features').fill(features)
      await page.getByTestId('intake-found-place').fill('沙市区北京中路天桥下')
      await form.getByLabel('健康与精神状况').fill('高血压')
      await page.getByText('添加物品').click()
      await page.getByTestId('belonging-0').fill('黑色双肩包')
      await page.getByTestId('intake-save').click()
      await page.waitForURL(/\/rescue\/cases\/\d+$/)
      const caseId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.getByTestId('rescue-case').waitFor()

      // The draft notice is on the case page; published, it is on the public page without login.
      await page.getByTestId('publish').click()
      await page.getByText('寻亲公告已发布').waitFor()
      const pub = await api(page, 'GET', '/api/v1/public/notices?size=100', null, true)
      const mine = pub.items.find((n) => n.features === features)
      assert.ok(mine, 'the published notice is on the public page')
      assert.equal(JSON.stringify(pub).includes('高血压'), false, 'no health detail on the public page')

      // The face engine feeds a candidate; the caseworker confirms it with a reason in the page.
      await api(page, 'POST', `/api/v1/rescue/cases/${caseId}/candidates`, {
        source: 'face',
        score: 0.93,
        candidate_ref: '寻亲登记 E2E',
        explanation: { similarity: 0.93 },
      })
      await page.reload()
      await page.getByTestId('candidate-confirm').click()
      await answerPrompt(page, '请填写确认或排除的理由', '家属辨认照片，口音一致')
      await page.getByText('已确认').waitFor()

      // Departure is refused while the bag is held; returned against a signature, it goes through.
      await page.getByTestId('belonging-return').click()
      await answerPrompt(page, '领回人姓名', '本人')
      await answerPrompt(page, '签收单编号', 'QS-E2E-1')
      await page.getByText('已退还：本人').waitFor()

      // Escorted home to the receiving station.
      await page.getByTestId('depart').click()
      const dlg = page.getByTestId('departure-form')
      await dlg.waitFor()
      await page.getByTestId('departure-kind').click()
      await page.getByRole('option', { name: '护送返乡' }).click()
      await dlg.getByLabel('护送路线').fill('荆州—襄阳')
      await dlg.getByLabel('护送人员').fill('刘工、陈工')
      await dlg.getByText('接收救助站').click()
      await dlg.getByLabel('交接单编号').fill('JJ-E2E-1')
      await page.getByTestId('departure-save').click()
      await page.getByText('已办理离站').waitFor()
      const after = await api(page, 'GET', `/api/v1/rescue/cases/${caseId}`)
      assert.equal(after.case.status, 'departed')
      assert.equal(after.case.departure_kind, 'escort_home')
      assert.equal(after.case.found_by, 'face')
      const gone = await api(page, 'GET', '/api/v1/public/notices?size=100', null, true)
      assert.equal(gone.items.some((n) => n.features === features), false, 'the notice left the public page')
      expectClean(assert, page)
    })
  })
})
