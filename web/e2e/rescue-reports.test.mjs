// Browser end-to-end test of the missing-person report screens (寻人登记) against a running doudi server
// (DOUDI_E2E_URL) with the demo data: a rescue worker enters a family's report with the father's and the mother's
// STR profiles pasted as lines, sees it on its page and in the list, meets a Chinese field error when the phone is
// cleared, edits the place lost, reveals the phone with a purpose, downloads the list as .xlsx (read back with
// unzip) and closes the report with a reason; the cases list downloads as .xlsx as well.
// Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// Account: DOUDI_E2E_REPORTS_USER / _PASSWORD / _NEW_PASSWORD, by default the demo's rescue_staff_gongan (an
// account no other file signs in with, so the password changes do not collide).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const staff = account('REPORTS') ?? {
  role: 'REPORTS',
  username: 'rescue_staff_gongan',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026rpt',
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

async function pickDate(page, testid, date) {
  const input = page.getByTestId(testid).locator('input')
  await input.click()
  await input.fill(date)
  await input.press('Enter')
}

describe('missing-person reports', { skip, concurrency: false }, () => {
  let browser
  let downloads
  before(async () => {
    browser = await launch()
    downloads = mkdtempSync(path.join(tmpdir(), 'doudi-e2e-reports-'))
  })
  after(async () => {
    await browser?.close()
    if (downloads) rmSync(downloads, { recursive: true, force: true })
  })

  it('a report with both parents’ samples is entered, listed, edited, revealed, exported and closed', async () => {
    const tag = randomTag()
    const name = `刘小梅${tag}`
    const phone = `139${String(Date.now()).slice(-8)}`
    await withPage(browser.context, 'rescue-reports', async (page) => {
      await signIn(page, staff, { path: '/rescue/missing-reports/new' })
      await page.getByTestId('report-form').waitFor()
      await page.getByTestId('report-reporter-name').fill('张桂兰')
      await page.getByTestId('report-reporter-phone').fill(phone)
      await page.getByTestId('report-reporter-relation').fill('母亲')
      await page.getByTestId('report-name').fill(name)
      await page.getByTestId('report-sex-2').click()
      await page.getByTestId('report-age').locator('input').fill('15')
      await pickDate(page, 'report-lost-date', '2025-06-01')
      await page.getByTestId('report-lost-place').fill('公安县斗湖堤镇汽车站')

      // The father's profile pasted as a line, the mother's as a profile CSV's header and row.
      await page.getByTestId('sample-add').click()
      await page.getByTestId('sample-relation-0').click()
      await page.getByTestId('sample-relation-0-father').click()
      await page.getByTestId('sample-name-0').fill('刘国平')
      await page.getByTestId('sample-paste-0').fill('D3S1358=15/16, vWA=14/17, TH01=9/9.3')
      await page.getByTestId('sample-read-0').click()
      await page.getByTestId('sample-0').getByText('已填 3 个基因座').waitFor()
      await page.getByTestId('sample-add').click()
      await page.getByTestId('sample-relation-1').click()
      await page.getByTestId('sample-relation-1-mother').click()
      await page.getByTestId('sample-name-1').fill('张桂兰')
      await page.getByTestId('sample-paste-1').fill('profile_id,family_id,relation,D3S1358,FGA\nM1,F1,mother,15/17,22/24')
      await page.getByTestId('sample-read-1').click()
      await page.getByTestId('sample-1').getByText('已填 2 个基因座').waitFor()
      // The per-locus editor shows the pasted cells.
      await page.getByTestId('sample-mode-loci-1').click()
      assert.equal(await page.getByTestId('sample-1-locus-FGA').inputValue(), '22/24')

      await page.getByTestId('report-save').click()
      await page.waitForURL(/\/rescue\/missing-reports\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      await page.getByTestId('report-detail').getByText(name).waitFor()
      await page.getByTestId('report-candidates').waitFor()
      const samples = page.getByTestId('report-samples')
      await samples.getByText('父亲').waitFor()
      await samples.getByText('母亲').waitFor()
      const stored = await apiGet(page, `/api/v1/rescue/missing-reports/${id}`)
      assert.deepEqual(
        stored.samples.map((s) => [s.relation, s.name, s.profile]),
        [
          ['father', '刘国平', { D3S1358: '15/16', vWA: '14/17', TH01: '9/9.3' }],
          ['mother', '张桂兰', { D3S1358: '15/17', FGA: '22/24' }],
        ],
      )

      // The phone is masked until revealed with a purpose.
      const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`
      assert.equal(await page.getByTestId('report-phone').innerText(), masked)
      await page.getByTestId('report-reveal').click()
      await page.getByTestId('report-reveal-purpose').fill('联系家属核实走失经过')
      await page.getByTestId('report-reveal-submit').click()
      await page.getByTestId('report-phone').getByText(phone).waitFor()

      // Listed under its name.
      await page.goto(baseUrl + `/rescue/missing-reports?name=${encodeURIComponent(name)}`)
      const row = page.getByTestId('report-table').locator('tr').filter({ hasText: name })
      await row.waitFor()
      assert.match(await row.innerText(), /寻找中/)
      assert.match(await row.innerText(), new RegExp(masked.replace(/\*/g, '\\*')))

      // The list as Excel: the file holds the report (cells are inline strings).
      const downloading = page.waitForEvent('download')
      await page.getByTestId('export').click()
      const file = await downloading
      assert.match(file.suggestedFilename(), /^寻人登记-\d{4}-\d{2}-\d{2}\.xlsx$/)
      const saved = path.join(downloads, 'reports.xlsx')
      await file.saveAs(saved)
      assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK')
      const cells = execFileSync('unzip', ['-p', saved]).toString()
      assert.ok(cells.includes(`<t>${name}</t>`), 'the report is in the workbook')
      assert.ok(!cells.includes(phone), 'no plain phone in the workbook')

      // Edit: a cleared phone is refused beside its field in Chinese; then the place is changed and saved.
      await row.getByText('编辑').click()
      await page.waitForURL(/\/rescue\/missing-reports\/\d+\/edit$/)
      await page.getByTestId('report-form').waitFor()
      await page.waitForFunction(() => document.querySelector('input[data-testid="report-name"]')?.value)
      await page.getByTestId('report-reporter-phone').fill('')
      await page.getByTestId('report-save').click()
      await page.getByTestId('report-form').getByText('请填写正确的联系电话').first().waitFor()
      assert.match(new URL(page.url()).pathname, /\/edit$/, 'nothing saved')
      await page.getByTestId('report-reporter-phone').fill(phone)
      await page.getByTestId('report-lost-place').fill('公安县斗湖堤镇油江路口')
      await page.getByTestId('report-save').click()
      await page.waitForURL(/\/rescue\/missing-reports\/\d+$/)
      await page.getByTestId('report-detail').getByText('公安县斗湖堤镇油江路口').waitFor()
      const edited = await apiGet(page, `/api/v1/rescue/missing-reports/${id}`)
      assert.equal(edited.version, 2)
      assert.equal(edited.samples.length, 2, 'the samples survive the edit')

      // Closed with a reason.
      await page.getByTestId('report-status-change').click()
      await page.getByTestId('report-status-closed').click()
      await page.getByTestId('report-status-save').click()
      await page.getByTestId('report-status-dialog').getByText('请填写原因').waitFor()
      await page.getByTestId('report-status-reason').fill('家属已自行找回')
      await page.getByTestId('report-status-save').click()
      await page.getByTestId('report-status').getByText('已关闭').waitFor()

      // The cases list (求助登记) downloads as Excel too.
      await page.goto(baseUrl + '/rescue/cases')
      await page.getByTestId('rescue-case-table').waitFor()
      const casesDownload = page.waitForEvent('download')
      await page.getByTestId('export').click()
      const casesFile = await casesDownload
      assert.match(casesFile.suggestedFilename(), /^求助登记-\d{4}-\d{2}-\d{2}\.xlsx$/)
      const casesSaved = path.join(downloads, 'cases.xlsx')
      await casesFile.saveAs(casesSaved)
      assert.ok(execFileSync('unzip', ['-p', casesSaved]).toString().includes('<t>求助时间</t>'), 'the cases sheet header')
      expectClean(assert, page)
    })
  })
})
