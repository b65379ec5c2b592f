// Console preferences kept in localStorage: the UI language and whether the sidebar is collapsed.
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

export type Locale = 'zh-CN' | 'en'

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value)
  } catch {
    // private mode: keep it for this page only
  }
}

export const useAppStore = defineStore('app', () => {
  const locale = ref<Locale>(stored('doudi.locale') === 'en' ? 'en' : 'zh-CN')
  const sidebarCollapsed = ref(stored('doudi.sidebar') === 'collapsed')

  watch(locale, (v) => store('doudi.locale', v))
  watch(sidebarCollapsed, (v) => store('doudi.sidebar', v ? 'collapsed' : 'open'))

  function toggleSidebar() {
    sidebarCollapsed.value = !sidebarCollapsed.value
  }

  return { locale, sidebarCollapsed, toggleSidebar }
})
