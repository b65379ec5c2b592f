// Browser end-to-end tests of the console against a running doudi server (DOUDI_E2E_URL) with demo accounts
// given by environment variables (see README.md). Run: `node --test e2e/console.test.mjs` from web/.
import { execSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { account, baseUrl, expectClean, launch, nextCode, randomTag, signIn, withPage } from './lib.mjs'

const county = account('COUNTY')
const auditor = account('AUDIT')
const sysadmin = account('SYSADMIN')
const manager = account('MANAGER')
let foreignPersonId = process.env.DOUDI_E2E_FOREIGN_PERSON_ID ?? ''
const searchName = process.env.DOUDI_E2E_SEARCH_NAME ?? ''

const skip = !baseUrl ? 'DOUDI_E2E_URL is not set' : !county ? 'DOUDI_E2E_COUNTY_USER is not set' : false

describe('doudi web console', { skip, concurrency: false }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('signs in with password and TOTP and shows who is signed in', async () => {
    await withPage(browser.context, 'login-totp', async (page) => {
      await signIn(page, county, { fresh: true })
      await page.waitForURL(/\/dashboard$/)
      const who = page.getByTestId('who')
      await who.waitFor()
      assert.ok((await who.innerText()).trim().length > 0, 'top bar shows role and district')
      assert.match(await page.getByTestId('user-menu').innerText(), /\S/)
      // A person-reading role sees the registry menu group, and no administrator's menus.
      const menu = await page.locator('aside').innerText()
      assert.match(menu, /人口信息/)
      assert.doesNotMatch(menu, /审计日志|用户管理|角色权限/)
      expectClean(assert, page)
    })
  })

  it('searches persons and shows ID numbers masked', async () => {
    await withPage(browser.context, 'search', async (page) => {
      await signIn(page, county, { path: '/registry/persons' })
      await page.waitForURL(/\/registry\/persons/)
      if (searchName) await page.getByTestId('filter-name').locator('input').fill(searchName)
      await page.getByTestId('search').click()
      const rows = page.locator('[data-testid="person-table"] tbody tr')
      await rows.first().waitFor()
      assert.ok((await rows.count()) >= 1, 'at least one person found')
      const masked = await rows.first().locator('.mono').first().innerText()
      assert.match(masked, /\*/, 'ID number masked in the list')
      expectClean(assert, page)
    })
  })

  it('reveals an ID number with a purpose, and the audit admin finds that reveal', { skip: !auditor && 'DOUDI_E2E_AUDIT_USER is not set' }, async () => {
    const tag = randomTag()
    let personId = ''
    await withPage(browser.context, 'reveal', async (page) => {
      await signIn(page, county, { path: '/registry/persons' })
      if (searchName) await page.getByTestId('filter-name').locator('input').fill(searchName)
      await page.getByTestId('search').click()
      const row = page.locator('[data-testid="person-table"] tbody tr').first()
      await row.waitFor()
      const href = await row.locator('a[href*="/registry/persons/"]').first().getAttribute('href')
      personId = /\/registry\/persons\/(\d+)/.exec(href ?? '')?.[1] ?? ''
      assert.ok(personId, 'row links to the person')
      await row.getByTestId('reveal').click()
      const dialog = page.getByTestId('reveal-dialog')
      await dialog.locator('textarea[name="purpose"]').fill(`端到端测试核对身份 ${tag}`)
      await page.getByTestId('reveal-submit').click()
      const id = await page.getByTestId('revealed-id').innerText()
      assert.match(id.trim(), /^\d{17}[\dX]$/, 'plain 18-character ID number shown')
      expectClean(assert, page)
    })
    await withPage(browser.context, 'reveal-audit', async (page) => {
      await signIn(page, auditor, { path: '/audit' })
      await page.waitForURL(/\/audit/)
      await page.getByTestId('filter-action').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '查看完整号码' }).click()
      await page.locator('input[name="object_id"]').fill(personId)
      await page.getByTestId('audit-search').click()
      const table = page.getByTestId('audit-table')
      const hit = table.locator('tbody tr', { hasText: county.username }).first()
      await hit.waitFor()
      const text = await hit.innerText()
      assert.match(text, /查看完整号码/)
      // The purpose is kept in the row's detail; the tag proves it is this test's reveal.
      assert.ok(text.includes(tag) || (await table.innerText()).includes(tag), `audit row carries the purpose tag ${tag}`)
      expectClean(assert, page)
    })
  })

  const getJson = (page, path) =>
    page.evaluate(async (p) => {
      const r = await fetch(p, { credentials: 'same-origin' })
      return r.ok ? r.json() : { error: r.status }
    }, path)

  it("keeps a county user out of another county's person, by direct URL too", { skip: !foreignPersonId && !manager && 'neither DOUDI_E2E_FOREIGN_PERSON_ID nor DOUDI_E2E_MANAGER_USER is set' }, async () => {
    if (!foreignPersonId) {
      // Ask a city-wide account for a person in a county other than the county user's.
      await withPage(browser.context, 'foreign-lookup', async (page) => {
        await signIn(page, county)
        const own = (await getJson(page, '/api/v1/auth/me')).user.division_code.slice(0, 6)
        await signIn(page, manager)
        const counties = (await getJson(page, `/api/v1/divisions?parent=${own.slice(0, 4)}`)).items ?? []
        for (const c of counties.filter((x) => !x.code.startsWith(own))) {
          const found = await getJson(page, `/api/v1/registry/persons?division=${c.code}&size=1`)
          if (found.items?.length) {
            foreignPersonId = String(found.items[0].id)
            break
          }
        }
        assert.ok(foreignPersonId, 'the manager sees a person in another county')
      })
    }
    await withPage(browser.context, 'foreign-person', async (page) => {
      await signIn(page, county, { path: `/registry/persons/${foreignPersonId}` })
      await page.waitForURL(new RegExp(`/registry/persons/${foreignPersonId}$`))
      const err = page.getByTestId('error-state')
      await err.waitFor()
      assert.match(await err.innerText(), /不在您的数据范围|未找到/)
      assert.equal(await page.getByTestId('person-name').count(), 0, 'no person data rendered')
      expectClean(assert, page)
    })
  })

  it('does not let the system administrator open the audit log', { skip: !sysadmin && 'DOUDI_E2E_SYSADMIN_USER is not set' }, async () => {
    await withPage(browser.context, 'sysadmin-audit', async (page) => {
      await signIn(page, sysadmin)
      assert.doesNotMatch(await page.locator('aside').innerText(), /审计日志/, 'no audit menu entry')
      await page.goto(baseUrl + '/audit')
      await page.getByTestId('forbidden').waitFor()
      assert.equal(await page.getByTestId('audit-table').count(), 0)
      expectClean(assert, page)
    })
  })

  it('reaches and opens every page of the collapsed sidebar by keyboard, with a visible focus', async () => {
    await withPage(browser.context, 'keyboard-sidebar', async (page) => {
      await signIn(page, county, { path: '/dashboard' })
      await page.getByRole('button', { name: '收起菜单' }).click()
      try {
        const links = page.locator('aside a.menu-link')
        const labels = await links.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')))
        assert.ok(labels.length >= 3 && labels.every(Boolean), `collapsed entries are named links: ${labels}`)
        // Backwards from the fold button (the first control after the menu), one Shift+Tab per entry.
        const reached = []
        for (let i = 0; i < labels.length + 2; i++) {
          await page.keyboard.press('Shift+Tab')
          const f = await page.evaluate(() => {
            const a = document.activeElement
            if (!a?.matches('aside a.menu-link')) return { label: '', ring: '' }
            return { label: a.getAttribute('aria-label') ?? '', ring: getComputedStyle(a.closest('li')).outlineStyle }
          })
          if (!f.label) continue
          assert.equal(f.ring, 'solid', `focused entry ${f.label} shows a focus ring`)
          reached.push(f.label)
        }
        assert.deepEqual(reached.reverse(), labels, 'Tab reaches every entry in order')
        await page.locator('aside a.menu-link[aria-label="家庭户"]').focus()
        await page.keyboard.press('Enter')
        await page.waitForURL(/\/registry\/households$/)
      } finally {
        await page.getByRole('button', { name: '展开菜单' }).click()
      }
      expectClean(assert, page)
    })
  })

  it('fits the lists into 1366 px without a sideways scrollbar', async () => {
    const fits = (page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('.el-table__body-wrapper .el-scrollbar__wrap'), document.documentElement]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => `${e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`),
      )
    const pages = [[county, '/registry/persons'], [county, '/registry/households'], [auditor, '/audit'], [sysadmin, '/system/users']]
    for (const [acc, path] of pages) {
      if (!acc) continue
      await withPage(browser.context, `fit${path.replaceAll('/', '-')}`, async (page) => {
        await signIn(page, acc, { path })
        await page.locator('.el-table__body-wrapper tbody tr').first().waitFor()
        assert.deepEqual(await fits(page), [], `${path} fits 1366 px`)
        expectClean(assert, page)
      })
    }
  })

  it('returns to the login page when the session times out, and back afterwards', async () => {
    await withPage(browser.context, 'session-timeout', async (page) => {
      await signIn(page, county, { path: '/registry/persons?page=1' })
      await page.waitForURL(/\/registry\/persons/)
      await page.locator('[data-testid="person-table"] tbody tr').first().waitFor()
      await page.waitForLoadState('networkidle')
      const idle = Number(process.env.DOUDI_E2E_IDLE_SECONDS ?? 0)
      const expireCommand = process.env.DOUDI_E2E_EXPIRE_SESSIONS_CMD
      if (expireCommand) {
        // The server's own idle timeout: the command ages the sessions in the server's database (tests/e2e/run.sh
        // moves last_seen_at back past the 30-minute limit), so the next request meets a really expired session.
        execSync(expireCommand, { stdio: 'inherit' })
        // A change from outside the server holds within its session cache's second (platform/session_cache.h).
        await page.waitForTimeout(1200)
      } else if (idle > 0) {
        // A server configured with a short idle timeout: wait it out for real.
        await page.waitForTimeout((idle + 2) * 1000)
      } else {
        // Otherwise the session cookie is dropped, which the server sees exactly as an expired session.
        await page.context().clearCookies()
      }
      await page.getByTestId('search').click()
      await page.waitForURL(/\/login\?/)
      const url = new URL(page.url())
      assert.match(url.searchParams.get('redirect') ?? '', /^\/registry\/persons/)
      assert.match(await page.locator('body').innerText(), /登录已超时/)
      // Signing in again lands back on the page (county.password is the current one after any forced change).
      await page.locator('input[name="username"]').fill(county.username)
      await page.locator('input[name="password"]').fill(county.password)
      await page.getByTestId('login-submit').click()
      if (county.totpSecret) {
        await page.locator('input[name="totp"]').waitFor()
        await page.locator('input[name="totp"]').fill(await nextCode(county))
        await page.getByTestId('login-submit').click()
      }
      await page.waitForURL(/\/registry\/persons/)
      expectClean(assert, page)
    })
  })
})
