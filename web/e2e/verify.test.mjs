// Browser end-to-end test of verification (核对) against a running doudi server (DOUDI_E2E_URL) with the demo
// data: a verifier uploads agency feeds (one with a bad row: the reject list and its download), records the
// household members' authorisations, verifies the household, reads the rule-by-rule explanation and downloads
// the PDF report. Run by tests/e2e/run.sh with the other web/e2e/*.test.mjs.
//
// The demo pre-authorises the newest 60 households and loads a month of every feed for them (verify::LoadDemoFeeds);
// this test works on the oldest unauthorised household of the verifier's district instead, with feed files of
// its own whose content is new on every run (a random extra person, a random plate), so that re-running against
// the same server is not refused as a duplicate import.
//
// Account: DOUDI_E2E_VERIFIER_USER / _PASSWORD / _NEW_PASSWORD, by default the demo's verifier_shashi with its
// initial password, changed at first sign-in to a password of this test's own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { account, baseUrl, expectClean, launch, randomTag, signIn, withPage } from './lib.mjs'

const verifier = account('VERIFIER') ?? {
  role: 'VERIFIER',
  username: 'verifier_shashi',
  password: 'Jingzhou@2026',
  newPassword: 'Jingzhou#2026vweb',
  totpSecret: '',
}

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : false

// JSON from the API with the page's session (and CSRF token for a POST).
async function api(page, method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const headers = { Accept: 'application/json' }
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json()
        headers['Content-Type'] = 'application/json'
        headers['X-CSRF-Token'] = me.csrf_token
      }
      const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`)
      return text ? JSON.parse(text) : null
    },
    { method, url, body },
  )
}

// A valid 18-digit ID number (GB 11643 check digit) for the 17 digits `body`.
function withCheckDigit(body) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

// The months before `today`'s month, newest last ("2026-08", "2026-09", "2026-10" for 2026-11-…).
function monthsBefore(today, n) {
  const out = []
  let y = Number(today.slice(0, 4))
  let m = Number(today.slice(5, 7))
  for (let i = 0; i < n; i++) {
    m -= 1
    if (m === 0) {
      m = 12
      y -= 1
    }
    out.unshift(`${y}-${String(m).padStart(2, '0')}`)
  }
  return out
}

async function uploadFile(page, name, content, { keepGood = false } = {}) {
  await page.goto(baseUrl + '/verify/feeds')
  await page.getByTestId('feed-upload').waitFor()
  await page.getByTestId('feed-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') })
  if (keepGood) await page.getByText('导入正确行，列出错误行').click()
  await page.getByTestId('feed-start').click()
  const outcome = page.getByTestId('feed-outcome')
  await outcome.waitFor({ timeout: 30000 })
  return outcome
}

describe('verification (核对) in the console', { skip, concurrency: false }, () => {
  let browser
  let householdId = 0
  const downloads = mkdtempSync(path.join(tmpdir(), 'doudi-e2e-verify-'))
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
    rmSync(downloads, { recursive: true, force: true })
  })

  it('uploads feeds, records authorisations, verifies a household, explains it and downloads the PDF', async () => {
    await withPage(browser.context, 'verify-flow', async (page) => {
      await signIn(page, verifier, { path: '/verify/feeds' })
      await page.waitForURL(/\/verify\/feeds/)
      // The 核对 menu group is there for a verifier.
      assert.match(await page.locator('aside').innerText(), /核对/)

      // The demo's pre-authorised households: the newest of the district (the list is newest first) can be
      // verified at once.
      const list = await api(page, 'GET', '/api/v1/registry/households?size=100')
      const candidates = list.items.filter((h) => (h.member_count ?? 0) >= 1 && (h.member_count ?? 0) <= 4)
      assert.ok(candidates.length > 0, 'a household with members in scope')
      const states = new Map()
      const authorisations = async (id) => {
        if (!states.has(id)) states.set(id, await api(page, 'GET', `/api/v1/verify/households/${id}/authorisations`))
        return states.get(id)
      }
      let preAuthorised = false
      for (const h of candidates.slice(0, 5)) preAuthorised ||= (await authorisations(h.id)).all_valid
      assert.ok(preAuthorised, 'the demo pre-authorises its newest households')
      // A household of the verifier's district that nobody has authorised yet, the oldest (outside the demo's
      // feeds), and its members' ID numbers (revealed for the feed file, as the agencies would send them).
      let chosen = null
      for (const h of [...candidates].sort((a, b) => a.id - b.id)) {
        const state = await authorisations(h.id)
        if (state.members.every((m) => m.status !== 'valid')) {
          chosen = h
          break
        }
      }
      assert.ok(chosen, 'an unauthorised household with members in scope')
      const hh = await api(page, 'GET', `/api/v1/registry/households/${chosen.id}`)
      const members = hh.members ?? []
      assert.ok(members.length >= 1)
      const ids = []
      for (const m of members) {
        const r = await api(page, 'POST', `/api/v1/registry/persons/${m.person_id}/reveal`, {
          purpose: '核对测试：生成部门数据文件',
          fields: ['id_number'],
        })
        ids.push(r.id_number)
      }
      assert.ok(ids.every((x) => /^\d{17}[\dX]$/.test(x ?? '')), 'members have ID numbers')

      // Feeds: household registration (all alive, and a random person outside the registry so that the file is
      // new on every run), the first member's car, and social insurance wages of the first member, with one bad
      // row (a wrong check digit) kept out as a reject. Random amounts keep the content new on every run.
      const tag = randomTag()
      const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
      const months = monthsBefore(today, 3)
      const stranger = withCheckDigit(`42100219800101${String(parseInt(tag.slice(0, 6), 16) % 1000).padStart(3, '0')}`)
      const hukou = [
        'id_number,name,status,death_date',
        ...members.map((m, i) => `${ids[i]},${m.name ?? ''},alive,`),
        `${stranger},测试${tag},alive,`,
      ].join('\n') + '\n'
      let outcome = await uploadFile(page, `hukou_${tag}.csv`, hukou)
      assert.match(await outcome.innerText(), /导入完成/)
      const plate = `鄂D${String(parseInt(tag.slice(2, 7), 16) % 100000).padStart(5, '0')}`
      outcome = await uploadFile(page, `vehicle_${tag}.csv`, `id_number,plate,vehicle_type,registered_on\n${ids[0]},${plate},car,2020-05-01\n`)
      assert.match(await outcome.innerText(), /导入完成/)
      const wage = 1000 + (parseInt(tag.slice(0, 4), 16) % 500)
      const si = [
        'id_number,kind,month,amount_yuan',
        ...months.map((m) => `${ids[0]},wage,${m},${wage}.00`),
        `${ids[0].slice(0, 17)}${ids[0][17] === '0' ? '1' : '0'},wage,${months[0]},100.00`,
      ].join('\n') + '\n'
      outcome = await uploadFile(page, `social_insurance_${tag}.csv`, si, { keepGood: true })
      assert.match(await outcome.innerText(), /导入完成：3 行已导入，1 行有错误/)
      const rejects = page.getByTestId('feed-rejects')
      await rejects.waitFor()
      assert.match(await rejects.innerText(), /id_number/)
      const [rejectsFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('feed-download-rejects').click()])
      const rejectsPath = path.join(downloads, 'rejects.csv')
      await rejectsFile.saveAs(rejectsPath)
      const rejectsCsv = readFileSync(rejectsPath, 'utf8')
      assert.match(rejectsCsv, /^\uFEFFrow,column,code,reason/)
      assert.match(rejectsCsv, /\n5,id_number,/, 'the bad row is line 5 of the file')
      // The batch list shows both uploads.
      await page.getByTestId('feed-list').getByText(`social_insurance_${tag}.csv`).waitFor()

      // Authorisations: every member signs (a guardian for a minor); verification is refused until then.
      await page.goto(baseUrl + `/verify/households/${hh.id}`)
      await page.getByTestId('auth-members').waitFor()
      for (const m of members) {
        const status = page.getByTestId(`auth-status-${m.person_id}`)
        if ((await status.innerText()).includes('有效')) continue
        assert.equal(await page.getByTestId('verify-run').isDisabled(), true, 'no verification without authorisations')
        await page.getByTestId(`auth-record-${m.person_id}`).click()
        const dialog = page.getByTestId('auth-dialog')
        await dialog.waitFor()
        // Saving empty shows the Chinese messages of the form.
        await page.getByTestId('auth-form-file').fill('')
        await page.getByTestId('auth-save').click()
        await dialog.getByText('请填写授权书扫描件编号').waitFor()
        await page.getByTestId('auth-form-file').fill(`SQ-${tag}-${m.person_id}`)
        const signer = page.getByTestId('auth-signer')
        if (!(await signer.inputValue())) await signer.fill(`${m.name ?? '成员'}监护人`)
        if ((await dialog.innerText()).includes('监护人姓名')) {
          // A minor: the guardian's name is required too.
          const name = dialog.getByText('监护人姓名').locator('xpath=ancestor::*[contains(@class,"el-form-item")][1]').locator('input')
          await name.fill(`${m.name ?? '成员'}监护人`)
        }
        await page.getByTestId('auth-save').click()
        await dialog.waitFor({ state: 'hidden' })
        await page.waitForFunction((id) => document.querySelector(`[data-testid="auth-status-${id}"]`)?.textContent?.includes('有效'), m.person_id)
      }
      assert.match(await page.getByTestId('auth-summary').innerText(), /可以发起核对/)

      // Verify: the result page explains each rule in Chinese.
      await page.getByTestId('verify-run').click()
      await page.waitForURL(/\/verify\/requests\/\d+$/)
      const decision = await page.getByTestId('result-decision').innerText()
      assert.match(decision, /符合|不符合|需人工复核/)
      const rules = await page.getByTestId('result-rules').innerText()
      assert.match(rules, /收入/)
      assert.match(rules, /元/, 'the income rule states the figures')
      assert.match(rules, /通过|不通过|需复核/)
      const records = await page.getByTestId('result-records').innerText()
      assert.match(records, /工资/, 'the wages behind the income figure are listed')
      assert.match(records, new RegExp(`${wage.toLocaleString('en-US')}\\.00`))
      const perCapita = await page.getByTestId('result-per-capita').innerText()
      assert.match(perCapita, /^\d[\d,]*\.\d{2}$/)

      // The PDF report.
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('result-pdf').click()])
      const pdfPath = path.join(downloads, 'report.pdf')
      await pdf.saveAs(pdfPath)
      const bytes = readFileSync(pdfPath)
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
      assert.ok(bytes.length < 400 * 1024, `report of ${bytes.length} bytes`)
      assert.match(pdf.suggestedFilename(), /\.pdf$/)
      if (process.env.DOUDI_E2E_SHOTS_ALWAYS) await page.screenshot({ path: path.join(downloads, '..', 'verify-result.png'), fullPage: true })
      expectClean(assert, page)
      householdId = hh.id
    })
  })

  it('runs a batch recheck as a job, lists its results, exports them and shows the suspicious list', async () => {
    assert.ok(householdId, 'the household verified above')
    await withPage(browser.context, 'verify-batch', async (page) => {
      await signIn(page, verifier, { path: '/verify/batches' })
      await page.getByTestId('batch-new').click()
      await page.getByTestId('batch-dialog').waitFor()
      await page.getByTestId('batch-start').click()
      await page.waitForURL(/\/verify\/batches\/\d+$/)
      // The job runs to its end; the progress bar follows it.
      await page.waitForFunction(() => document.querySelector('[data-testid="batch-status"]')?.textContent?.includes('已完成'), null, { timeout: 60000 })
      assert.equal(await page.getByTestId('batch-progress').getByRole('progressbar').getAttribute('aria-valuenow'), '100')
      // Only households whose members all authorised are verified: ours is among the results.
      const table = page.getByTestId('request-table')
      await table.locator('tbody tr').first().waitFor()
      assert.ok((await table.locator('tbody tr').count()) >= 1)
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-export').click()])
      const xlsxPath = path.join(downloads, 'results.xlsx')
      await xlsx.saveAs(xlsxPath)
      assert.equal(readFileSync(xlsxPath).subarray(0, 2).toString('latin1'), 'PK', 'an Excel workbook (zip)')
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/)
      // The suspicious list: the car uploaded above flags the household (the demo's feeds are fresh, so none is
      // stale).
      await page.getByRole('tab', { name: '疑似问题清单' }).click()
      const groups = page.getByTestId('suspicious-groups')
      await groups.waitFor()
      const groupsText = await groups.innerText()
      assert.match(groupsText, /有机动车/)
      assert.doesNotMatch(groupsText, /数据缺失或过期/)
      const [sus] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-suspicious-download').click()])
      const susPath = path.join(downloads, 'suspicious.xlsx')
      await sus.saveAs(susPath)
      assert.equal(readFileSync(susPath).subarray(0, 2).toString('latin1'), 'PK')
      if (process.env.DOUDI_E2E_SHOTS_ALWAYS) await page.screenshot({ path: path.join(downloads, '..', 'verify-batch.png'), fullPage: true })
      expectClean(assert, page)
    })
  })
})
