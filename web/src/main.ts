import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { makeI18n } from './locales'
import { useAppStore } from './stores/app'
// Styles of the Element Plus services called from code (components used in templates bring their own).
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/loading/style/css'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const i18n = makeI18n(useAppStore(pinia).locale)
app.use(i18n)
app.use(router)
app.mount('#app')
