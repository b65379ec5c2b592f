// The audit log's words for verification (核对) and rescue (救助管理) entries: every action and object code those
// modules write (grep of src/verify and src/rescue: Event(...), AuditEventFor(...), the routes' audit actions) has
// a Chinese and an English name, so the audit page shows no raw code.
import { describe, expect, it } from 'vitest'
import { makeI18n } from '@/locales'
import { actionName, objectName } from '@/utils/audit'

const actions = [
  'verify.feed.upload',
  'verify.feed.import',
  'verify.authorisation.create',
  'verify.authorisation.revoke',
  'verify.request.create',
  'verify.batch.create',
  'verify.result.view',
  'verify.report.download',
  'rescue.case.create',
  'rescue.case.view',
  'rescue.case.correct',
  'rescue.case.refuse',
  'rescue.case.identify',
  'rescue.case.depart',
  'rescue.case.match',
  'rescue.belonging.add',
  'rescue.belonging.return',
  'rescue.care.add',
  'rescue.placement.start',
  'rescue.placement.transfer',
  'rescue.placement.end',
  'rescue.extension.request',
  'rescue.extension.approve',
  'rescue.settlement.start',
  'rescue.form.download',
  'rescue.report.create',
  'rescue.report.view',
  'rescue.report.update',
  'rescue.report.status',
  'rescue.dna.request',
  'rescue.dna.sample',
  'rescue.dna.result',
  'rescue.dna.str_import',
  'rescue.candidate.add',
  'rescue.candidate.confirm',
  'rescue.candidate.reject',
  'rescue.notice.update',
  'rescue.notice.publish',
  'rescue.notice.refresh',
  'rescue.notice.export',
  'rescue.patrol.create',
  'rescue.patrol.correct',
  'rescue.institution.create',
  'rescue.institution.correct',
  'rescue.inspection.create',
  'rescue.inspection.correct',
  'rescue.inspection.photo_add',
  'rescue.rectification.order',
  'rescue.rectification.follow_up',
  'rescue.rectification.note',
  'rescue.rectification.submit',
  'rescue.rectification.verify',
  'rescue.rectification.reopen',
  'rescue.rectification.extend',
]
const objects = ['verify_feed', 'verify_authorisation', 'verify_request', 'verify_batch', 'rescue_case', 'rescue_missing_report', 'rescue_notice', 'rescue_dna_request', 'rescue_patrol', 'rescue_institution', 'rescue_inspection', 'rescue_rectification']
const latin = /[A-Za-z]{2,}/

describe('audit names of verify and rescue entries', () => {
  const zh = makeI18n('zh-CN').global
  const en = makeI18n('en').global
  const words = (g: typeof zh) => ({ t: (k: string) => g.t(k), te: (k: string) => g.te(k) })
  it('are Chinese in zh-CN', () => {
    for (const a of actions) expect(actionName(words(zh), a), a).not.toMatch(latin)
    for (const o of objects) expect(objectName(words(zh), o), o).not.toMatch(latin)
    expect(actionName(words(zh), 'verify.feed.upload')).toBe('上传部门数据')
    expect(actionName(words(zh), 'rescue.rectification.verify')).toBe('验收销号')
    expect(objectName(words(zh), 'verify_request')).toBe('核对请求')
  })
  it('are English words, not codes, in en', () => {
    for (const a of actions) expect(actionName(words(en), a), a).not.toBe(a)
    for (const o of objects) expect(objectName(words(en), o), o).not.toBe(o)
    expect(actionName(words(en), 'verify.result.view')).toBe('View verification result')
  })
})
