// Helpers for the browser end-to-end tests: configuration from the environment, RFC 6238 TOTP, Debian's
// Chromium through playwright-core (never a downloaded browser), sign-in with cached sessions, and a
// screenshot under build/e2e/ when a test fails.
import { createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '..', '..')
export const shotDir = process.env.DOUDI_E2E_SCREENSHOTS ?? path.join(repoRoot, 'build', 'e2e')

export const baseUrl = (process.env.DOUDI_E2E_URL ?? '').replace(/\/+$/, '')

// An account from DOUDI_E2E_<ROLE>_USER / _PASSWORD / _TOTP_SECRET; null when the user is not set.
export function account(role) {
  const p = `DOUDI_E2E_${role}_`
  const username = process.env[p + 'USER']
  if (!username) return null
  return {
    role,
    username,
    password: process.env[p + 'PASSWORD'] ?? '',
    // Demo accounts must change their initial password at first sign-in: with NEW_PASSWORD set the test does
    // that change, and tries NEW_PASSWORD when PASSWORD is refused (an earlier run already changed it).
    newPassword: process.env[p + 'NEW_PASSWORD'] ?? '',
    totpSecret: (process.env[p + 'TOTP_SECRET'] ?? '').replace(/\s+/g, '').toUpperCase(),
  }
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits; secret in RFC 4648 base32) ---------------------------

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const clean = s.replace(/=+$/, '').toUpperCase()
  let bits = 0
  let value = 0
  const out = []
  for (const c of clean) {
    const i = alphabet.indexOf(c)
    if (i < 0) throw new Error(`bad base32 character ${c}`)
    value = (value << 5) | i
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totp(secretBase32, timeMs = Date.now(), step = 30, digits = 6) {
  const counter = Math.floor(timeMs / 1000 / step)
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const h = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest()
  const off = h[h.length - 1] & 0x0f
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3]
  return String(bin % 10 ** digits).padStart(digits, '0')
}

// ---- the browser --------------------------------------------------------------------------------------------

export async function launch() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'doudi-e2e-'))
  const executablePath = process.env.DOUDI_E2E_CHROMIUM ?? '/usr/bin/chromium'
  // launchPersistentContext is the only way to pass our own --user-data-dir; pages share it, so each test
  // clears cookies before signing in.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--disable-default-apps', '--disable-extensions',
    ],
  })
  context.setDefaultTimeout(Number(process.env.DOUDI_E2E_TIMEOUT_MS ?? 15000))
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

// A fresh page that records CSP violations and uncaught page errors (checked by `expectClean`).
export async function newPage(context) {
  const page = await context.newPage()
  page.problems = []
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|unsafe-eval|Refused to/i.test(m.text())) {
      page.problems.push(`csp: ${m.text()}`)
    }
  })
  return page
}

export function expectClean(assert, page) {
  assert.deepEqual(page.problems, [], 'no CSP violations or uncaught errors in the page')
}

// Runs `fn(page)` and keeps a screenshot of the page under build/e2e/ if it throws.
export async function withPage(context, name, fn) {
  const page = await newPage(context)
  try {
    await fn(page)
  } catch (e) {
    mkdirSync(shotDir, { recursive: true })
    const file = path.join(shotDir, `${name.replace(/[^\w.-]+/g, '_')}.png`)
    await page.screenshot({ path: file, fullPage: true }).catch(() => {})
    e.message += `\n(screenshot: ${file}; url: ${page.url()})`
    throw e
  } finally {
    await page.close().catch(() => {})
  }
}

// A TOTP code is accepted once per 30 s step (replay protection), so signing the same account in twice within
// one step waits for the next step.
const lastStep = new Map()
async function freshCode(acc) {
  let step = Math.floor(Date.now() / 30000)
  if (lastStep.get(acc.username) === step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30000 - Date.now() + 500))
    step = Math.floor(Date.now() / 30000)
  }
  lastStep.set(acc.username, step)
  return totp(acc.totpSecret)
}

// Session cookies per account, so that tests after the first reuse a sign-in instead of waiting for a new TOTP step.
const jars = new Map()

// Signs in (password, then the TOTP step when the account has a secret) and opens `path`. Reuses the account's
// earlier session when the server still accepts it, unless `fresh` is set.
export async function signIn(page, acc, { path: start = '/', fresh = false } = {}) {
  const context = page.context()
  await context.clearCookies()
  if (!fresh && jars.has(acc.username)) {
    await context.addCookies(jars.get(acc.username))
    await page.goto(baseUrl + start)
    await page.waitForLoadState('networkidle')
    if (!new URL(page.url()).pathname.startsWith('/login')) return
    await context.clearCookies()
  }
  await page.goto(baseUrl + '/login?redirect=' + encodeURIComponent(start))
  await page.waitForURL(/\/login/)
  const passwords = [acc.password, ...(acc.newPassword && acc.newPassword !== acc.password ? [acc.newPassword] : [])]
  for (let i = 0; ; i++) {
    await page.locator('input[name="username"]').fill(acc.username)
    await page.locator('input[name="password"]').fill(passwords[i])
    await page.getByTestId('login-submit').click()
    const outcome = await Promise.race([
      page.locator('input[name="totp"]').waitFor().then(() => 'totp'),
      page.waitForURL((u) => !u.pathname.startsWith('/login')).then(() => 'in'),
      page.getByTestId('login-error').waitFor().then(() => 'error'),
    ])
    if (outcome === 'error') {
      if (i + 1 < passwords.length) continue
      throw new Error(`sign-in of ${acc.username} refused: ${await page.getByTestId('login-error').innerText()}`)
    }
    acc.password = passwords[i]
    if (outcome === 'totp') {
      await page.locator('input[name="totp"]').fill(await freshCode(acc))
      await page.getByTestId('login-submit').click()
    }
    break
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  if (new URL(page.url()).pathname === '/account/password') {
    if (!acc.newPassword) {
      throw new Error(`${acc.username} must change the password first: set DOUDI_E2E_${acc.role}_NEW_PASSWORD`)
    }
    await page.locator('input[name="old_password"]').fill(acc.password)
    await page.locator('input[name="new_password"]').fill(acc.newPassword)
    await page.locator('input[name="confirm_password"]').fill(acc.newPassword)
    await page.getByTestId('password-submit').click()
    await page.waitForURL((u) => u.pathname !== '/account/password')
    acc.password = acc.newPassword
  }
  await page.waitForLoadState('networkidle')
  jars.set(acc.username, await context.cookies())
}

// The next TOTP code for an account that may have signed in during the current step.
export const nextCode = freshCode

export const randomTag = () => randomBytes(4).toString('hex')
