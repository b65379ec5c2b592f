// Code sets from GET /dicts/{name}, fetched once per page load and shared by every view (RuoYi's 字典).
import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { getDict, type CodeItem, type DictName } from '@/api/dicts'

export const useDictStore = defineStore('dicts', () => {
  const sets = reactive<Partial<Record<DictName, CodeItem[]>>>({})
  const pending = new Map<DictName, Promise<CodeItem[]>>()

  // Loads a set once; concurrent callers share the request; a failure is not cached.
  function load(name: DictName): Promise<CodeItem[]> {
    const have = sets[name]
    if (have) return Promise.resolve(have)
    let p = pending.get(name)
    if (!p) {
      p = getDict(name)
        .then((items) => {
          sets[name] = items
          return items
        })
        .finally(() => pending.delete(name))
      pending.set(name, p)
    }
    return p
  }

  function items(name: DictName): CodeItem[] {
    return sets[name] ?? []
  }

  // The name of a code, or the code itself when the set is not loaded or does not know it.
  function label(name: DictName, code: string | number | null | undefined): string {
    if (code === null || code === undefined || code === '') return ''
    const c = String(code)
    return sets[name]?.find((i) => i.code === c)?.name ?? c
  }

  return { sets, load, items, label }
})
