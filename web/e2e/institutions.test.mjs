// Browser end-to-end test of institution supervision and street patrols against a running doudi server
// (DOUDI_E2E_URL) with the demo data: an institution supervisor registers an institution, inspects it with the
// scored checklist, orders a rectification and follows it up until it is verified and closed; a rescue staff
// member logs a street patrol and finds it in the list with its counts.
// Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// Accounts: DOUDI_E2E_SUPERVISOR_USER / _PASSWORD / _NEW_PASSWORD (default the demo's institution_supervisor_shashi)
// and DOUDI_E2E_RESCUE_USER ... (default rescue_staff_shashi, with the same new password as rescue.test.mjs, which
// may have changed it first).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const supervisor = account('SUPERVISOR') ?? {
  role: 'SUPERVISOR',
  username: 'institution_supervisor_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026inst',
  totpSecret: '',
}
const staff = account('RESCUE') ?? {
  role: 'RESCUE',
  username: 'rescue_staff_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026rweb',
  totpSecret: '',
}

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

async function apiGet(page, url) {
  return page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
    return res.json()
  }, url)
}

// "YYYY-MM-DD HH:mm" in Shanghai, `hoursAgo` hours before now.
function shanghaiMinutes(hoursAgo) {
  const d = new Date(Date.now() - hoursAgo * 3600 * 1000 + 8 * 3600 * 1000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}

// Types a value into an Element Plus date picker and closes its panel.
async function pickDate(page, testId, value) {
  const target = page.getByTestId(testId).locator('input').first()
  await target.click()
  await target.fill(value)
  await target.press('Enter')
  await page.keyboard.press('Escape')
}

describe('institution supervision and street patrols in the console', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('a supervisor registers an institution, inspects it, orders a rectification and closes it', async () => {
    await withPage(browser.context, 'institution-flow', async (page) => {
      await signIn(page, supervisor, { path: '/rescue/institutions/new' })
      const name = `福康托养中心${randomTag()}`
      await page.getByTestId('institution-form').waitFor()
      await page.getByTestId('inst-name').fill(name)
      await page.getByTestId('inst-kind').getByText('托养机构').click()
      await page.getByTestId('inst-licence').fill('鄂民养 2026-017')
      await page.getByTestId('inst-save').click()
      await page.waitForURL(/\/rescue\/institutions\/\d+$/)
      const institutionId = Number(new URL(page.url()).pathname.split('/').pop())
      await assert.doesNotReject(page.getByTestId('inst-title').filter({ hasText: name }).waitFor())
      assert.equal(await page.getByTestId('inst-placed').innerText(), '0')

      // The checklist starts at full marks; care quality 11 of 20 makes 91 (优秀) and is marked for rectification.
      await page.getByTestId('inspection-new').click()
      await page.getByTestId('inspection-form').waitFor()
      await page.getByTestId('insp-inspectors').fill('李监管、王科长')
      const care = page.getByTestId('score-care_quality').locator('input')
      await care.fill('11')
      await care.press('Tab')
      await page.getByTestId('insp-total').filter({ hasText: '91' }).waitFor()
      assert.equal((await page.getByTestId('insp-rating').innerText()).trim(), '优秀')
      await page.getByTestId('insp-findings').fill('夜间看护人员不足')
      await page.getByTestId('insp-save').click()
      await page.waitForURL(/\/rescue\/inspections\/\d+$/)
      await page.getByTestId('detail-total').filter({ hasText: '91' }).waitFor()

      // Order a rectification in 10 working days, then submit → verify (closed).
      await page.getByTestId('order-new').click()
      await page.getByTestId('order-requirement').fill('增配夜间看护人员并完善交接班记录')
      await page.getByTestId('order-save').click()
      const state = page.getByTestId('rect-state').first()
      await state.filter({ hasText: '待整改' }).waitFor()
      await page.getByTestId('rect-follow').first().click()
      await page.getByTestId('follow-action-submit').click()
      await page.getByTestId('follow-note').fill('已增配 2 名护理员')
      await page.getByTestId('follow-save').click()
      await state.filter({ hasText: '已提交待验收' }).waitFor()
      await page.getByTestId('rect-follow').first().click()
      await page.getByTestId('follow-action-verify').click()
      await page.getByTestId('follow-note').fill('现场复查合格')
      await page.getByTestId('follow-save').click()
      await state.filter({ hasText: '已销号' }).waitFor()

      const list = await apiGet(page, `/api/v1/rescue/institutions/rectifications?institution_id=${institutionId}`)
      assert.equal(list.total, 1)
      assert.equal(list.items[0].state, 'closed')
      const closed = await apiGet(page, `/api/v1/rescue/institutions/rectifications/${list.items[0].id}`)
      assert.deepEqual(closed.events.map((e) => e.action), ['order', 'submit', 'verify'])
      assert.equal(closed.events[2].state_after, 'closed')
      expectClean(assert, page)
    })
  })

  it('a rescue staff member logs a street patrol and finds it with its counts', async () => {
    await withPage(browser.context, 'patrol-flow', async (page) => {
      await signIn(page, staff, { path: '/rescue/patrols/new' })
      const member = `巡查员${randomTag()}`
      await page.getByTestId('patrol-form').waitFor()
      await pickDate(page, 'patrol-start', shanghaiMinutes(5))
      await pickDate(page, 'patrol-end', shanghaiMinutes(2))
      await page.getByTestId('patrol-team').fill(`${member}、刘二`)
      await page.getByTestId('patrol-route').fill('中山路—火车站')
      await page.getByTestId('place-text-0').fill('中山路天桥下')
      await page.getByTestId('enc-add').click()
      await page.getByTestId('enc-persons-0').locator('input').fill('2')
      await page.getByTestId('enc-action-0').click()
      await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '护送入站' }).click()
      await page.getByTestId('enc-desc-0').fill('两名老人，衣着单薄')
      await page.getByTestId('patrol-counts').filter({ hasText: '护送入站 2' }).waitFor()
      await page.getByTestId('patrol-save').click()
      await page.waitForURL((u) => u.pathname === '/rescue/patrols')

      await page.goto(`${baseUrl}/rescue/patrols?member=${encodeURIComponent(member)}`)
      await page.getByTestId('patrol-met').filter({ hasText: '2' }).waitFor()
      const found = await apiGet(page, `/api/v1/rescue/patrols?member=${encodeURIComponent(member)}`)
      assert.equal(found.total, 1)
      assert.equal(found.items[0].counts.brought_in, 2)
      assert.deepEqual(found.items[0].team, [member, '刘二'])
      expectClean(assert, page)
    })
  })
})
