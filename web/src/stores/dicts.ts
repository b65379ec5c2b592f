// Code sets from GET /dicts/{name}, fetched once per page load and shared by every view (RuoYi's 字典).
import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { divisionPath, getDict, getDivisions, type CodeItem, type DictName } from '@/api/dicts'

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

  // Division names, learnt level by level from GET /divisions?parent=… and kept for the page's life.
  const divisionNames = reactive<Record<string, string>>({})
  const childrenLoads = new Map<string, Promise<void>>()

  function loadChildren(parent: string): Promise<void> {
    let p = childrenLoads.get(parent)
    if (!p) {
      p = getDivisions(parent)
        .then((list) => {
          for (const d of list) divisionNames[d.code] = d.name
        })
        .catch(() => {
          childrenLoads.delete(parent)
        })
      childrenLoads.set(parent, p)
    }
    return p
  }

  // "湖北省 荆州市 荆州区 城南街道" for 421003002; the code itself until the names have arrived (the caller
  // re-renders when they do).
  function divisionLabel(code: string | null | undefined): string {
    const path = divisionPath(code ?? '')
    if (path.length === 0) return ''
    if (path.every((c) => divisionNames[c])) return path.map((c) => divisionNames[c]).join(' ')
    path.forEach((_, i) => void loadChildren(i === 0 ? '' : path[i - 1]))
    return code ?? ''
  }

  return { sets, load, items, label, divisionNames, divisionLabel }
})
