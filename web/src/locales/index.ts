// vue-i18n with messages compiled at build time (no runtime compiler, so no eval under the CSP). zh-CN is the
// default; English is the second language. Missing keys fall back to zh-CN, never to the key itself in English.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.json'
import en from './en.json'

export type MessageSchema = typeof zhCN

export function makeI18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return createI18n<[MessageSchema], 'zh-CN' | 'en', false>({
    legacy: false,
    globalInjection: true,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
    missingWarn: false,
    fallbackWarn: false,
  })
}
