// Browser end-to-end test of the stay screens and the public family-search page against a running doudi server
// (DOUDI_E2E_URL) with the demo data: a supervisor registers a foster-care institution; a rescue worker takes in an
// unidentified person, records a temperature (flagged as fever) and a meal, places the person in the institution
// (seen on the whereabouts page), publishes the notice; the notice is then read on the public page without login,
// with no console around it and no health detail.
// Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// Accounts: DOUDI_E2E_STAY_USER / _PASSWORD / _NEW_PASSWORD (default rescue_staff_jingzhou) and
// DOUDI_E2E_STAY_SUPERVISOR_USER / ... (default institution_supervisor_jingzhou): other accounts than the other
// files use, so the password changes do not collide.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const staff = account('STAY') ?? {
  role: 'STAY',
  username: 'rescue_staff_jingzhou',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026stay',
  totpSecret: '',
}
const supervisor = account('STAY_SUPERVISOR') ?? {
  role: 'STAY_SUPERVISOR',
  username: 'institution_supervisor_jingzhou',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026stay',
  totpSecret: '',
}

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

async function apiGet(page, url, anonymous = false) {
  return page.evaluate(
    async ({ url, anonymous }) => {
      const res = await fetch(url, { credentials: anonymous ? 'omit' : 'same-origin', headers: { Accept: 'application/json' } })
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
      return res.json()
    },
    { url, anonymous },
  )
}

describe('stay, placement and the public family-search page', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('care records and a placement on the case page; the notice on the public page without login', async () => {
    const features = `右手缺小指${randomTag()}`
    await withPage(browser.context, 'rescue-stay', async (page) => {
      // A foster-care institution to place the person in.
      await signIn(page, supervisor, { path: '/rescue/institutions/new' })
      const home = `康宁托养院${randomTag()}`
      await page.getByTestId('institution-form').waitFor()
      await page.getByTestId('inst-name').fill(home)
      await page.getByTestId('inst-kind').getByText('托养机构').click()
      await page.getByTestId('inst-licence').fill('鄂民养 2026-031')
      await page.getByTestId('inst-save').click()
      await page.waitForURL(/\/rescue\/institutions\/\d+$/)

      // Intake of an unidentified man.
      await signIn(page, staff, { path: '/rescue/cases/new' })
      await page.getByTestId('rescue-intake-form').waitFor()
      await page.getByTestId('intake-age').locator('input').fill('61')
      await page.getByTestId('intake-features').fill(features)
      await page.getByTestId('intake-found-place').fill('荆州区荆州中路公交站')
      await page.getByTestId('rescue-intake-form').getByLabel('健康与精神状况').fill('糖尿病')
      await page.getByTestId('intake-save').click()
      await page.waitForURL(/\/rescue\/cases\/\d+$/)
      const caseId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.getByTestId('stay-countdown').waitFor()
      assert.equal(await page.getByTestId('countdown-state').innerText(), '期限内')

      // A temperature of 37.6 ℃ (flagged as fever), then a meal.
      const care = page.getByTestId('care-form')
      await page.getByTestId('care-kind').click()
      await page.getByRole('option', { name: '体温' }).click()
      await page.getByTestId('care-temperature').locator('input').fill('37.6')
      await page.getByTestId('care-save').click()
      await page.getByTestId('care-list').getByText('37.6 ℃').waitFor()
      await page.getByTestId('care-list').getByText('发热').waitFor()
      await page.getByTestId('care-kind').click()
      await page.getByRole('option', { name: '饮食' }).click()
      await care.getByTestId('care-detail').fill('早餐：稀饭、馒头')
      await page.getByTestId('care-save').click()
      await page.getByTestId('care-list').getByText('早餐：稀饭、馒头').waitFor()

      // Placed in the institution chosen by name; the whereabouts page shows it.
      await page.getByTestId('placement-institution').click()
      await page.getByRole('option', { name: home }).click()
      await page.getByTestId('placement-save').click()
      await page.getByTestId('placement-list').getByText(home).waitFor()
      await page.getByTestId('placements').getByText('当前安置于托养机构').waitFor()
      const detail = await apiGet(page, `/api/v1/rescue/cases/${caseId}`)
      assert.equal(detail.care.length, 2)
      assert.equal(detail.care.find((c) => c.kind === 'temperature').temperature, 37.6)
      assert.equal(detail.placements.length, 1)
      assert.equal(detail.placements[0].end_date, null)

      // An extension past the 10 days, asked for with a reason, waits for someone else's approval.
      const until = new Date(Date.now() + (8 + 15 * 24) * 3600 * 1000).toISOString().slice(0, 10)
      await page.getByTestId('extension-request').click()
      const untilInput = page.getByTestId('extension-form').locator('input').first()
      await untilInput.click()
      await untilInput.fill(until)
      await untilInput.press('Enter')
      await page.getByTestId('extension-reason').fill('等待家属从外省赶来接回')
      await page.getByTestId('extension-save').click()
      await page.getByTestId('extension-state').getByText(`延期至 ${until}，待审批`).waitFor()
      assert.equal(await page.getByTestId('extension-approve').count(), 1)

      // The DNA request to the police, the sample, the result; a correction with its reason in the version list.
      await page.getByTestId('dna-request').click()
      await page.getByTestId('dna-police-unit').fill('荆州市公安局荆州区分局')
      await page.getByTestId('dna-save').click()
      await page.getByTestId('dna-list').getByText('荆州市公安局荆州区分局').waitFor()
      await page.getByTestId('dna-list').getByRole('button', { name: '登记采样' }).click()
      await page.getByTestId('dna-ref').fill('CY-E2E-1')
      await page.getByTestId('dna-save').click()
      await page.getByTestId('dna-list').getByText('CY-E2E-1').waitFor()
      await page.getByTestId('dna-list').getByRole('button', { name: '登记结果' }).click()
      await page.getByTestId('dna-ref').fill('BD-E2E-1')
      await page.getByTestId('dna-save').click()
      await page.getByTestId('dna-list').getByText('未比中').waitFor()
      await page.getByTestId('correct').click()
      await page.getByTestId('correct-dialect').fill('湖北监利口音')
      await page.getByTestId('correct-reason').fill('二次询问后补充口音')
      await page.getByTestId('correct-save').click()
      await page.getByTestId('version-list').getByText('二次询问后补充口音').waitFor()
      const corrected = await apiGet(page, `/api/v1/rescue/cases/${caseId}`)
      assert.equal(corrected.case.dialect, '湖北监利口音')
      assert.equal(corrected.dna_requests[0].result, 'no_match')

      await page.goto(baseUrl + '/rescue/whereabouts')
      const row = page.getByTestId('whereabouts-list').locator('tr').filter({ hasText: home })
      await row.waitFor()
      assert.match(await row.innerText(), /托养机构/)

      // The numbers page agrees with the API for the same period (this month to date).
      await page.goto(baseUrl + '/rescue/numbers')
      const rescues = page.getByTestId('numbers-table').locator('tr').filter({ hasText: '救助人次' })
      await rescues.waitFor()
      const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
      const stats = await apiGet(page, `/api/v1/rescue/stats?from=${today.slice(0, 8)}01&to=${today}`)
      assert.ok(stats.rescues >= 1)
      assert.match(await rescues.innerText(), new RegExp(`\\b${stats.rescues}\\b`))

      // Published, the notice is on the public page.
      await page.goto(baseUrl + `/rescue/cases/${caseId}`)
      await page.getByTestId('publish').click()
      await page.getByText('寻亲公告已发布').waitFor()
      expectClean(assert, page)
    })

    // Without any session: the list, then the notice itself; no console chrome, no health detail.
    await withPage(browser.context, 'public-notices', async (page) => {
      await page.context().clearCookies()
      await page.goto(baseUrl + '/public/notices')
      await page.getByTestId('public-notices').waitFor()
      assert.equal(new URL(page.url()).pathname, '/public/notices', 'not sent to the login page')
      const pub = await apiGet(page, '/api/v1/public/notices?size=100', true)
      const mine = pub.items.find((n) => n.features === features)
      assert.ok(mine, 'the published notice is listed')
      await page.getByTestId('public-notice-card').first().waitFor()
      await page.goto(baseUrl + `/public/notices/${mine.id}`)
      await page.getByTestId('public-notice').getByText(mine.features).waitFor()
      assert.equal(await page.getByTestId('public-contact').innerText(), mine.station_contact)
      const text = await page.locator('body').innerText()
      assert.equal(text.includes('糖尿病'), false, 'no health detail on the public page')
      assert.equal(await page.locator('.el-aside, .el-menu').count(), 0, 'no console chrome')
      assert.match(text, /寻亲公告/)
      expectClean(assert, page)
    })
  })
})
