// Vite build of the web console into web/dist, served by `doudi serve` on the same origin as /api/v1.
//
// CSP: the server sends script-src 'self', style-src 'self' 'unsafe-inline', no 'unsafe-eval'. Locale messages are
// compiled to functions at build time (@intlify/unplugin-vue-i18n) and vue-i18n is aliased to its runtime-only
// build, so no message compiler (and no `new Function`) ships. Element Plus components are imported on demand by
// the resolver; ECharts through echarts/core with only the charts we draw; both go to their own chunks.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const api = process.env.DOUDI_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [
    vue(),
    VueI18nPlugin({
      include: [fileURLToPath(new URL('./src/locales/*.json', import.meta.url))],
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      strictMessage: true,
    }),
    Components({
      dts: false,
      dirs: [],
      // Unit tests need no styles (and Node cannot import .css files).
      resolvers: [ElementPlusResolver({ importStyle: process.env.VITEST ? false : 'css' })],
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  preview: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
    headers: {
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // Only the chart library gets a chunk of its own (cached across releases). Element Plus is left to
        // Rollup's per-page splitting: forcing it into one manual chunk pulls in the whole library.
        manualChunks(id) {
          if (id.includes('/node_modules/echarts/') || id.includes('/node_modules/zrender/')) return 'echarts'
          return undefined
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.test.ts'],
    pool: 'threads',
    restoreMocks: true,
    // Element Plus must share the one Vue instance of the tests (else provide/inject between ElForm and its
    // items silently fails and forms validate nothing).
    server: { deps: { inline: ['element-plus'] } },
  },
})
