// The audit log and the role list in words: in zh-CN no code or English reason of the server reaches the page.
import { describe, expect, it } from 'vitest'
import { makeI18n } from '@/locales'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { actionName, detailText, objectName, sourceName } from '@/utils/audit'
import { permissionLabel } from '@/utils/permissions'

const g = makeI18n('zh-CN').global
const w = { t: (k: string) => g.t(k), te: (k: string) => g.te(k) }

// Every action the server writes to the audit log (grep of the C++ sources: AuditEventFor / Event / audit_action).
const serverActions = [
  'auth.login', 'auth.logout', 'auth.password.change', 'auth.totp.begin', 'auth.totp.setup', 'auth.totp.confirm',
  'job.cancel', 'pii.reveal', 'registry.person.view', 'registry.person.create', 'registry.person.update',
  'registry.person.import', 'registry.household.create', 'registry.household.update', 'registry.household.import',
  'registry.household.member_add', 'registry.household.member_remove', 'role.create', 'role.update', 'role.delete',
  'user.create', 'user.update', 'user.disable', 'user.enable', 'user.reset_password', 'user.reset_totp',
  'user.set_role', 'user.setup_totp',
]
const latin = /[A-Za-z]{2,}/

describe('audit entries in zh-CN', () => {
  it('names every action the server records, in Chinese', () => {
    for (const a of serverActions) expect(actionName(w, a), a).not.toMatch(latin)
    expect(actionName(w, 'registry.person.import')).toBe('导入人员')
    expect(actionName(w, 'future.thing')).toBe('future.thing') // unknown: the code, not nothing
    for (const o of ['person', 'household', 'user', 'role', 'session', 'job']) expect(objectName(w, o), o).not.toMatch(latin)
  })

  it('translates the login failure reasons the server writes as English text', () => {
    expect(detailText(w, 'wrong password')).toBe('密码错误')
    expect(detailText(w, 'wrong TOTP code')).toBe('动态验证码错误')
    expect(detailText(w, 'TOTP code used twice')).toBe('动态验证码重复使用')
    expect(detailText(w, 'unknown user')).toBe('用户名不存在')
    expect(detailText(w, 'account disabled')).toBe('账户已停用')
    expect(detailText(w, 'locked')).toBe('账户已锁定')
    expect(detailText(w, 'wrong old password')).toBe('原密码错误')
    expect(detailText(w, 'totp')).toBe('密码 + 动态验证码')
    expect(detailText(w, 'something new')).toBe('something new')
  })

  it('puts JSON details in words: imports, accounts written as pairs, role changes, reveals', () => {
    expect(detailText(w, '{"count":704,"first_id":1,"last_id":704}')).toBe('条数：704；起始编号：1；结束编号：704')
    expect(detailText(w, '[["username","county9"],["division_code","421003"]]')).toBe('用户名：county9；区划代码：421003')
    expect(detailText(w, '{"name":"核对员","scope":"division","added":["registry.person.read","pii.reveal"],"removed":[]}'))
      .toBe('名称：核对员；数据范围：本辖区；增加权限：人员信息 · 查看、个人敏感信息 · 查看完整号码')
    expect(detailText(w, '{"purpose":"核对身份","fields":["id_number","phone"]}')).toBe('事由：核对身份；内容：身份证号码、联系电话')
    expect(detailText(w, '{"view":"360"}')).toBe('人员详情（360°视图）')
  })

  it('calls the command line by name', () => {
    expect(sourceName(w, 'cli')).toBe('命令行')
    expect(sourceName(w, '10.0.0.7')).toBe('10.0.0.7')
  })

  it('names permission codes by resource and action, and leaves unknown ones as codes', () => {
    expect(permissionLabel(w, 'registry.household.write')).toBe('家庭户 · 编辑')
    expect(permissionLabel(w, 'assist.approve')).toBe('社会救助 · 审核')
    expect(permissionLabel(w, 'zoo.feed')).toBe('zoo.feed')
    // The server's catalogue (src/platform/permissions.cc) in words.
    for (const c of ['user.read', 'user.write', 'role.read', 'role.write', 'dict.write', 'audit.read', 'registry.person.read',
      'registry.person.write', 'registry.household.read', 'registry.household.write', 'pii.reveal', 'verify.read',
      'verify.write', 'assist.read', 'assist.write', 'assist.approve', 'rescue.read', 'rescue.write', 'tracing.read',
      'tracing.write', 'institution.read', 'institution.write', 'hotline.read', 'hotline.write', 'minors.read',
      'minors.write', 'stats.read', 'job.read']) {
      expect(permissionLabel(w, c), c).not.toMatch(latin)
    }
  })
})

type Tree = { [k: string]: string | Tree }
function flat(o: Tree, prefix = '', out = new Map<string, string>()) {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else flat(v, `${prefix}${k}.`, out)
  }
  return out
}

describe('messages', () => {
  // Read as text (vitest runs in web/): imported, the files come compiled by the i18n plugin.
  const read = (name: string) => JSON.parse(readFileSync(path.resolve('src/locales', `${name}.json`), 'utf8')) as Tree
  const zh = flat(read('zh-CN'))
  const english = flat(read('en'))

  it('has every key in both languages (a key missing in zh-CN would show the key itself)', () => {
    expect([...english.keys()].filter((k) => !zh.has(k))).toEqual([])
    expect([...zh.keys()].filter((k) => !english.has(k))).toEqual([])
  })

  it('uses no English words in zh-CN beyond names and the terms caseworkers use as they are (DNA, STR, Excel, IP, photo formats, MB)', () => {
    const words = new Set<string>()
    for (const v of zh.values()) for (const m of v.replace(/\{\w+\}/g, '').matchAll(/[A-Za-z]{2,}/g)) words.add(m[0])
    const allowed = new Set(['DNA', 'Excel', 'IP', 'STR', 'JPEG', 'PNG', 'WebP', 'MB'])
    expect([...words].filter((w) => !allowed.has(w)).sort()).toEqual([])
  })
})
