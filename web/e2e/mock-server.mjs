// A stand-in for `doudi serve` while the C++ server is being built: serves web/dist with the production CSP and
// SPA fallback, and answers the /api/v1 contract (docs/api/README.md) from memory with a small Jingzhou data set.
// For looking at the console and for checking the e2e tests themselves; never a substitute for the real server.
//
//   node e2e/mock-server.mjs [port]      (default 8090; prints the demo accounts and their TOTP secrets)
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { readFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { totp } from './lib.mjs'

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const port = Number(process.argv[2] ?? process.env.PORT ?? 8090)
const idleSeconds = Number(process.env.MOCK_IDLE_SECONDS ?? 1800)
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

// ---- reference data ----
const divisions = [
  { code: '42', name: '湖北省', level: 1, parent: '' },
  { code: '4210', name: '荆州市', level: 2, parent: '42' },
  { code: '421002', name: '沙市区', level: 3, parent: '4210' },
  { code: '421003', name: '荆州区', level: 3, parent: '4210' },
  { code: '421022', name: '公安县', level: 3, parent: '4210' },
  { code: '421002001', name: '中山街道', level: 4, parent: '421002' },
  { code: '421002002', name: '崇文街道', level: 4, parent: '421002' },
  { code: '421003001', name: '城东街道', level: 4, parent: '421003' },
  { code: '421003002', name: '城南街道', level: 4, parent: '421003' },
  { code: '421022100', name: '斗湖堤镇', level: 4, parent: '421022' },
]
const divName = (code) => {
  const parts = []
  for (let n of [2, 4, 6, 9]) if (code.length >= n) parts.push(divisions.find((d) => d.code === code.slice(0, n))?.name ?? '')
  return parts.filter(Boolean).join(' ')
}
const dicts = {
  sex: [['0', '未知的性别'], ['1', '男性'], ['2', '女性'], ['9', '未说明的性别']],
  relation: [['02', '户主'], ['10', '配偶'], ['20', '子'], ['30', '女'], ['50', '父母'], ['99', '其他']],
  ethnicity: [['01', '汉族'], ['03', '回族'], ['05', '维吾尔族'], ['09', '土家族']],
  marital: [['10', '未婚'], ['20', '已婚'], ['30', '丧偶'], ['40', '离婚']],
  education: [['10', '研究生'], ['20', '大学本科'], ['60', '高中'], ['70', '初中'], ['80', '小学'], ['90', '其他']],
  disability_category: [['1', '视力残疾'], ['2', '听力残疾'], ['4', '肢体残疾'], ['5', '智力残疾']],
  disability_grade: [['1', '一级'], ['2', '二级'], ['3', '三级'], ['4', '四级']],
  flag: [['disabled', '残疾人'], ['elderly_alone', '独居老人'], ['left_behind_child', '留守儿童']],
  urban_rural: [['urban', '城镇'], ['rural', '农村']],
}

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const idOf = (first17) => first17 + '10X98765432'[[...first17].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11]
const maskId = (s) => (s ? s.slice(0, 4) + '*'.repeat(s.length - 8) + s.slice(-4) : '')
const maskPhone = (s) => (s ? s.slice(0, 3) + '****' + s.slice(-4) : '')

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const given = ['芳', '伟', '秀英', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚']
const now = () => new Date().toISOString()
const persons = []
for (let i = 0; i < 48; i++) {
  const county = ['421002', '421003', '421022'][i % 3]
  const town = divisions.filter((d) => d.parent === county)[i % 2]?.code ?? county
  const year = 1940 + ((i * 7) % 75)
  const birth = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`
  const sex = (i % 2) + 1
  const seq = String(100 + i * 2 + (sex === 1 ? 1 : 0)).padStart(3, '0')
  persons.push({
    id: i + 1, version: 1, name: surnames[i % 20] + given[(i * 3) % 20], sex, birth_date: birth, estimated_age: null,
    id_number: idOf(county + birth.replaceAll('-', '') + seq), ethnicity: i % 5 === 0 ? '09' : '01',
    phone: `139${String(71600000 + i * 137).padStart(8, '0')}`, address: `${divName(town).split(' ').pop()}${i + 1}号`,
    address_division: town, hukou_division: town, hukou_address: '', division_code: town, flags: i % 6 === 0 ? 'elderly_alone' : '',
    disability_category: i % 7 === 0 ? '4' : '', disability_grade: i % 7 === 0 ? '3' : '', marital_status: '20',
    education: '70', notes: '', created_at: now(), updated_at: now(), created_by: 1, household_id: null,
  })
}
const households = []
for (let h = 0; h < 12; h++) {
  const head = persons[h * 4]
  const members = [{ person_id: head.id, relation: '02' }, { person_id: persons[h * 4 + 3]?.id, relation: '10' }].filter((m) => m.person_id)
  households.push({ id: h + 1, version: 1, head_person_id: head.id, urban_rural: h % 3 === 0 ? 'rural' : 'urban',
    division_code: head.division_code, address: head.address, members, created_at: now(), updated_at: now() })
  for (const m of members) persons.find((p) => p.id === m.person_id).household_id = h + 1
}

const permissionCatalogue = [
  ['registry.person.read', '查看人员'], ['registry.person.write', '登记和修改人员'], ['registry.household.read', '查看家庭户'],
  ['registry.household.write', '登记和修改家庭户'], ['pii.reveal', '查看完整号码'], ['user.read', '查看用户'],
  ['user.write', '管理用户'], ['role.read', '查看角色'], ['role.write', '管理角色'], ['audit.read', '查看审计日志'], ['job.read', '查看任务'],
].map(([code, name]) => ({ code, name }))
const roles = [
  { code: 'caseworker', name: '救助经办员', scope: 'division', version: 1, permissions: ['registry.person.read', 'registry.person.write', 'registry.household.read', 'registry.household.write', 'pii.reveal', 'job.read'] },
  { code: 'manager', name: '中心领导', scope: 'all', version: 1, permissions: ['registry.person.read', 'registry.household.read', 'job.read'] },
  { code: 'system_admin', name: '系统管理员', scope: 'all', version: 1, permissions: ['user.read', 'user.write'] },
  { code: 'security_admin', name: '安全管理员', scope: 'all', version: 1, permissions: ['role.read', 'role.write'] },
  { code: 'audit_admin', name: '审计管理员', scope: 'all', version: 1, permissions: ['audit.read'] },
]
const SECRET = 'JBSWY3DPEHPK3PXP'
const users = [
  ['county1', '王芳', 'caseworker', '421003', SECRET], ['county2', '李强', 'caseworker', '421002', ''],
  ['manager', '张敏', 'manager', '4210', ''], ['sysadmin', '刘伟', 'system_admin', '4210', SECRET],
  ['secadmin', '陈静', 'security_admin', '4210', ''], ['auditor', '杨洋', 'audit_admin', '4210', SECRET],
].map(([username, display_name, role, division_code, totp_secret], i) => ({
  id: i + 1, username, display_name, role, division_code, totp_secret, password: 'Demo#2026pass', phone: '',
  disabled: false, must_change_password: false, version: 1, failures: 0, locked_until: 0, last_login_at: '',
}))

const audit = []
function record(s, req, action, object_type, object_id, outcome = 'success', detail = '') {
  audit.unshift({ id: audit.length + 1, at: now(), username: s?.user.username ?? '', role: s?.user.role ?? '', ip: '127.0.0.1',
    action, object_type, object_id: String(object_id ?? ''), outcome, detail, request_id: req.rid })
}

// ---- sessions ----
const sessions = new Map()
function sessionOf(req) {
  const m = /(?:^|;\s*)doudi_session=([^;]+)/.exec(req.headers.cookie ?? '')
  const s = m && sessions.get(m[1])
  if (!s) return null
  if (Date.now() - s.seen > idleSeconds * 1000) {
    sessions.delete(m[1])
    return null
  }
  s.seen = Date.now()
  return s
}
const roleOf = (u) => roles.find((r) => r.code === u.role)
const perms = (u) => roleOf(u)?.permissions ?? []
const me = (u) => ({ id: u.id, username: u.username, display_name: u.display_name, role: u.role, role_name: roleOf(u)?.name ?? u.role,
  division_code: u.division_code, division_name: divName(u.division_code), permissions: perms(u),
  must_change_password: u.must_change_password, totp_enabled: !!u.totp_secret })
const inScope = (u, division) => roleOf(u)?.scope === 'all' || division.startsWith(u.division_code)

// ---- HTTP plumbing ----
class HttpError extends Error {
  constructor(status, code, message, details = []) {
    super(message)
    Object.assign(this, { status, code, details })
  }
}
const bad = (field, message) => new HttpError(400, `registry.${field}.invalid`, message, [{ field, code: `registry.${field}.invalid`, message }])
function page(list, q) {
  const p = Math.max(1, Number(q.get('page') ?? 1))
  const size = Math.min(200, Math.max(1, Number(q.get('size') ?? 20)))
  return { items: list.slice((p - 1) * size, p * size), total: list.length, page: p, size }
}
const personView = (p, d = divName(p.division_code)) => ({ ...p, id_number: maskId(p.id_number), phone: maskPhone(p.phone), division_name: d,
  id_number_masked: true, flags: p.flags ? p.flags.split(',') : [], sex_name: dicts.sex.find(([k]) => k === String(p.sex))?.[1] })
const relName = (c) => dicts.relation.find(([k]) => k === c)?.[1] ?? c
function householdView(h) {
  const head = persons.find((p) => p.id === h.head_person_id)
  return { ...h, head_name: head?.name ?? '', member_count: h.members.length, division_name: divName(h.division_code),
    members: h.members.map((m) => {
      const p = persons.find((x) => x.id === m.person_id)
      return { person_id: m.person_id, relation: m.relation, relation_name: relName(m.relation), name: p?.name, sex: p?.sex,
        birth_date: p?.birth_date, id_number: maskId(p?.id_number ?? ''), division_code: p?.division_code }
    }) }
}

function need(s, permission) {
  if (!s) throw new HttpError(401, 'auth.required', '请先登录')
  if (s.user.must_change_password && permission !== 'pending') throw new HttpError(403, 'auth.password_change_required', '请先修改初始密码')
  if (permission && permission !== 'pending' && !perms(s.user).includes(permission)) throw new HttpError(403, 'auth.forbidden', '您没有此项操作的权限')
}

async function api(req, res, url, body) {
  const q = url.searchParams
  const p = url.pathname.replace(/^\/api\/v1/, '')
  const m = req.method
  const s = sessionOf(req)
  if (m !== 'GET' && m !== 'HEAD' && p !== '/auth/login' && s && req.headers['x-csrf-token'] !== s.csrf) {
    throw new HttpError(403, 'auth.csrf', '页面已过期，请刷新后重试')
  }
  let r
  if (p === '/health') return { status: 'ok', database: 'ok', schema_version: 1 }
  if (p === '/auth/login' && m === 'POST') {
    const u = users.find((x) => x.username === body.username)
    if (u && u.locked_until > Date.now()) {
      const t = new Date(u.locked_until + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 16)
      throw new HttpError(423, 'auth.locked', `账号已锁定，请于 ${t} 后再试`)
    }
    if (!u || u.password !== body.password || u.disabled) {
      if (u && ++u.failures >= 5) u.locked_until = Date.now() + 15 * 60e3
      record(null, req, 'auth.login', 'user', body.username, 'failure')
      throw new HttpError(401, 'auth.bad_credentials', '用户名或密码错误')
    }
    if (u.totp_secret) {
      if (!body.totp_code) throw new HttpError(401, 'auth.totp_required', '请输入动态验证码')
      const ok = [-1, 0, 1].some((k) => totp(u.totp_secret, Date.now() + k * 30000) === body.totp_code)
      if (!ok) throw new HttpError(401, 'auth.totp_invalid', '动态验证码不正确')
    }
    u.failures = 0
    u.last_login_at = now()
    const token = randomBytes(16).toString('hex')
    const sess = { user: u, csrf: randomBytes(16).toString('hex'), seen: Date.now() }
    sessions.set(token, sess)
    res.setHeader('Set-Cookie', `doudi_session=${token}; Path=/; HttpOnly; SameSite=Strict`)
    record(sess, req, 'auth.login', 'user', u.id)
    return { status: u.must_change_password ? 'password_change_required' : 'ok', user: me(u), csrf_token: sess.csrf }
  }
  if (p === '/auth/me') { need(s, 'pending'); return { user: me(s.user), csrf_token: s.csrf } }
  if (p === '/auth/logout') { if (s) for (const [k, v] of sessions) if (v === s) sessions.delete(k); return {} }
  if (p === '/auth/password') {
    need(s, 'pending')
    if (body.old_password !== s.user.password) throw new HttpError(400, 'auth.password.wrong', '当前密码不正确', [{ field: 'old_password', message: '当前密码不正确' }])
    s.user.password = body.new_password
    s.user.must_change_password = false
    return {}
  }
  if (p === '/auth/totp/setup') { need(s); s.pendingSecret = 'KRSXG5CTMVRXEZLU'; return { secret: s.pendingSecret, otpauth_uri: `otpauth://totp/doudi:${s.user.username}?secret=${s.pendingSecret}&issuer=doudi` } }
  if (p === '/auth/totp/confirm') { need(s); if (totp(s.pendingSecret) !== body.code) throw new HttpError(400, 'auth.totp_invalid', '验证码不正确'); s.user.totp_secret = s.pendingSecret; return {} }
  if (p === '/divisions') { need(s, 'pending'); return { items: divisions.filter((d) => d.parent === (q.get('parent') ?? '')).map(({ code, name, level }) => ({ code, name, level, leaf: level >= 4 })) } }
  if ((r = /^\/dicts\/(\w+)$/.exec(p))) {
    need(s, 'pending')
    if (!dicts[r[1]] || r[1] === 'flag' || r[1] === 'urban_rural') throw new HttpError(404, 'dict.not_found', `没有名为 ${r[1]} 的字典`)
    return { name: r[1], items: dicts[r[1]].map(([code, name]) => ({ code, name, parent: '' })) }
  }
  if (p === '/registry/stats') {
    need(s, 'registry.person.read')
    const ps = persons.filter((x) => inScope(s.user, x.division_code))
    const hs = households.filter((x) => inScope(s.user, x.division_code))
    const counties = divisions.filter((d) => d.level === 3)
    const ur = ['urban', 'rural'].map((k) => ({ urban_rural: k, name: k === 'urban' ? '城市' : '农村', households: hs.filter((h) => h.urban_rural === k).length,
      persons: hs.filter((h) => h.urban_rural === k).reduce((a, h) => a + h.members.length, 0) }))
    return {
      persons: ps.length,
      households: hs.length,
      by_urban_rural: [...ur, { urban_rural: null, name: '未入户', persons: ps.filter((x) => !x.household_id).length, households: 0 }],
      by_county: counties.map((c) => ({ code: c.code, name: c.name, persons: ps.filter((x) => x.division_code.startsWith(c.code)).length,
        households: hs.filter((x) => x.division_code.startsWith(c.code)).length })).filter((x) => x.persons || x.households)
        .map(({ code, name, ...rest }) => ({ county: code, county_name: name, ...rest })),
    }
  }
  if (p === '/registry/persons' && m === 'GET') {
    need(s, 'registry.person.read')
    const name = q.get('name') ?? ''
    const id = (q.get('id_number') ?? '').toUpperCase()
    const list = persons.filter((x) => inScope(s.user, x.division_code) && (!name || x.name.includes(name)) && (!id || x.id_number === id)
      && (!q.get('division') || x.division_code.startsWith(q.get('division'))) && (!q.get('sex') || String(x.sex) === q.get('sex')))
    return { ...page(list, q), items: page(list, q).items.map((x) => personView(x)) }
  }
  if (p === '/registry/persons' && m === 'POST') {
    need(s, 'registry.person.write')
    validatePerson(body)
    if (body.id_number && persons.some((x) => x.id_number === body.id_number)) {
      const ex = persons.find((x) => x.id_number === body.id_number)
      throw new HttpError(409, 'registry.person.duplicate_id', '该身份证号码已登记', [{ field: 'existing_person_id', code: 'duplicate', message: String(ex.id) }])
    }
    const np = { ...body, flags: Array.isArray(body.flags) ? body.flags.join(',') : body.flags ?? '', id: persons.length + 1, version: 1, created_at: now(), updated_at: now(), created_by: s.user.id, household_id: null }
    persons.push(np)
    record(s, req, 'registry.person.create', 'person', np.id)
    return personView(np)
  }
  if ((r = /^\/registry\/persons\/(\d+)(\/360|\/reveal)?$/.exec(p))) {
    const x = persons.find((y) => y.id === Number(r[1]))
    need(s, r[2] === '/reveal' ? 'pii.reveal' : m === 'PUT' ? 'registry.person.write' : 'registry.person.read')
    if (!x || !inScope(s.user, x.division_code)) {
      record(s, req, 'registry.person.view', 'person', r[1], 'denied')
      throw new HttpError(404, 'not_found', '未找到该人员，或不在您的数据范围内')
    }
    if (r[2] === '/reveal') {
      if (!body.purpose || String(body.purpose).trim().length < 4) throw new HttpError(400, 'pii.purpose.required', '请填写查询事由', [{ field: 'purpose', message: '请填写查询事由（至少 4 个字）' }])
      record(s, req, 'pii.reveal', 'person', x.id, 'success', JSON.stringify({ purpose: body.purpose, fields: body.fields }))
      return Object.fromEntries((body.fields ?? []).map((f) => [f, x[f] ?? '']))
    }
    if (m === 'PUT') {
      if (body.version !== x.version) throw new HttpError(409, 'version_conflict', '该记录已被他人修改，请刷新后重试')
      validatePerson(body)
      for (const k of Object.keys(body)) if (k !== 'version' && !(typeof body[k] === 'string' && body[k].includes('*'))) x[k] = body[k]
      if (Array.isArray(x.flags)) x.flags = x.flags.join(',')
      x.version++
      x.updated_at = now()
      record(s, req, 'registry.person.update', 'person', x.id)
      return personView(x)
    }
    record(s, req, 'registry.person.view', 'person', x.id)
    if (r[2] === '/360') {
      const h = households.find((y) => y.id === x.household_id)
      return { person: personView(x), household: h ? householdView(h) : null,
        sections: x.id % 2 ? { '低保': [{ 状态: '在保', 保障金额: '620 元/月', 批准日期: '2025-03-01' }] } : {} }
    }
    return personView(x)
  }
  if (p === '/registry/households' && m === 'GET') {
    need(s, 'registry.household.read')
    const list = households.filter((h) => inScope(s.user, h.division_code) && (!q.get('division') || h.division_code.startsWith(q.get('division')))
      && (!q.get('urban_rural') || h.urban_rural === q.get('urban_rural'))).map((h) => ({ ...householdView(h), members: undefined }))
    return page(list, q)
  }
  if ((r = /^\/registry\/households\/(\d+)$/.exec(p))) {
    need(s, 'registry.household.read')
    const h = households.find((y) => y.id === Number(r[1]))
    if (!h || !inScope(s.user, h.division_code)) throw new HttpError(404, 'not_found', '未找到该家庭户，或不在您的数据范围内')
    return householdView(h)
  }
  if (p === '/users' && m === 'GET') {
    need(s, 'user.read')
    const list = users.filter((u) => (!q.get('username') || u.username.includes(q.get('username'))) && (!q.get('role') || u.role === q.get('role')))
      .map((u) => ({ ...me(u), phone: u.phone, disabled: u.disabled, last_login_at: u.last_login_at, version: u.version }))
    return page(list, q)
  }
  if (p === '/users' && m === 'POST') {
    need(s, 'user.write')
    if (users.some((u) => u.username === body.username)) throw new HttpError(409, 'user.duplicate', '用户名已存在', [{ field: 'username', message: '用户名已存在' }])
    const u = { ...body, id: users.length + 1, password: 'Init#' + randomBytes(4).toString('hex'), must_change_password: true, disabled: false, version: 1, failures: 0, locked_until: 0, totp_secret: '' }
    users.push(u)
    record(s, req, 'user.create', 'user', u.id)
    return { user: me(u), initial_password: u.password }
  }
  if ((r = /^\/users\/(\d+)(?:\/(disable|enable|reset-password))?$/.exec(p))) {
    need(s, 'user.write')
    const u = users.find((y) => y.id === Number(r[1]))
    if (!u) throw new HttpError(404, 'not_found', '用户不存在')
    if (r[2] === 'disable') u.disabled = true
    else if (r[2] === 'enable') u.disabled = false
    else if (r[2] === 'reset-password') { u.password = 'Tmp#' + randomBytes(4).toString('hex'); u.must_change_password = true; return { temporary_password: u.password } }
    else Object.assign(u, { display_name: body.display_name, role: body.role, division_code: body.division_code, phone: body.phone, version: u.version + 1 })
    return me(u)
  }
  if (p === '/roles' && m === 'GET') { need(s, 'role.read'); return { items: roles } }
  if (p === '/permissions') { need(s, 'role.read'); return { items: permissionCatalogue } }
  if ((r = /^\/roles\/(\w+)$/.exec(p)) && m === 'PUT') {
    need(s, 'role.write')
    const role = roles.find((x) => x.code === r[1])
    const admin = ['user.write', 'role.write', 'audit.read'].filter((x) => body.permissions.includes(x))
    if (admin.length > 1) throw new HttpError(400, 'role.separation_of_duties', '系统管理、安全管理、审计管理权限不能授予同一角色', [{ field: 'permissions', message: '三员权限不能合并' }])
    Object.assign(role, { name: body.name, scope: body.scope, permissions: body.permissions, version: role.version + 1 })
    return role
  }
  if (p === '/audit') {
    need(s, 'audit.read')
    const f = (k, v) => !q.get(k) || String(v).includes(q.get(k))
    const list = audit.filter((a) => f('username', a.username) && f('action', a.action) && f('object_type', a.object_type)
      && (!q.get('object_id') || a.object_id === q.get('object_id')) && (!q.get('outcome') || a.outcome === q.get('outcome'))
      && (!q.get('from') || a.at.slice(0, 10) >= q.get('from')) && (!q.get('to') || a.at.slice(0, 10) <= q.get('to')))
    return page(list, q)
  }
  if (p === '/audit/verify') { need(s, 'audit.read'); return { ok: true, rows_checked: audit.length } }
  throw new HttpError(404, 'not_found', '接口不存在')
}

function validatePerson(b) {
  if (!b.name || !String(b.name).trim()) throw bad('name', '请填写姓名')
  if (!b.division_code) throw bad('division_code', '请选择所属区划')
  if (b.id_number && !b.id_number.includes('*') && (!/^\d{17}[\dX]$/.test(b.id_number) || idOf(b.id_number.slice(0, 17)) !== b.id_number)) {
    throw new HttpError(400, 'registry.id_number.check_digit', '身份证号码校验位不正确', [{ field: 'id_number', code: 'registry.id_number.check_digit', message: '身份证号码校验位不正确' }])
  }
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }
createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost')
  req.rid = randomBytes(6).toString('hex')
  res.setHeader('X-Request-Id', req.rid)
  if (url.pathname.startsWith('/api/')) {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', async () => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8')
      res.setHeader('Cache-Control', 'no-store')
      try {
        const out = await api(req, res, url, raw ? JSON.parse(raw) : {})
        res.end(JSON.stringify(out ?? {}))
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500
        res.statusCode = status
        res.end(JSON.stringify({ error: { code: e.code ?? 'internal', message: e instanceof HttpError ? e.message : '服务器内部错误', details: e.details ?? [] }, request_id: req.rid }))
        if (!(e instanceof HttpError)) console.error(e)
      }
    })
    return
  }
  let file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''))
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dist, 'index.html')
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('Content-Type', types[path.extname(file)] ?? 'application/octet-stream')
  res.end(readFileSync(file))
}).listen(port, '127.0.0.1', () => {
  console.log(`mock doudi on http://127.0.0.1:${port}  (accounts: county1 county2 manager sysadmin secadmin auditor, password Demo#2026pass; TOTP secret ${SECRET} for county1, sysadmin, auditor)`)
})
