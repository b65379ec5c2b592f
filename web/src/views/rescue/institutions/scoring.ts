// The inspection form's arithmetic, the same rules as the server's (src/rescue/inspection_checklist.h): the total
// is the sum of the item scores; ratings by band; an item under 60 % of its maximum is weak (a rectification is
// proposed for it). Also how a deadline and a contract read in a list.
export type Rating = 'excellent' | 'good' | 'pass' | 'fail'

export function totalScore(items: { score: number | null | undefined }[]): number {
  return items.reduce((sum, i) => sum + (Number.isFinite(i.score) ? Number(i.score) : 0), 0)
}

export function rating(total: number): Rating {
  if (total >= 90) return 'excellent'
  if (total >= 75) return 'good'
  if (total >= 60) return 'pass'
  return 'fail'
}

export function isWeak(score: number, max: number): boolean {
  return score * 10 < max * 6
}

// Element Plus tag type of a rectification's deadline status.
export function deadlineTagType(status: string): 'danger' | 'warning' | 'info' | 'success' | 'primary' {
  switch (status) {
    case 'overdue':
      return 'danger'
    case 'due_soon':
      return 'warning'
    case 'submitted':
      return 'primary'
    case 'closed':
      return 'success'
    default:
      return 'info'
  }
}

// The follow-up actions open in a state (mirrors src/rescue/rectification_rules.h).
export function allowedActions(state: string): ('submit' | 'verify' | 'reopen' | 'extend' | 'note')[] {
  switch (state) {
    case 'open':
    case 'reopened':
      return ['submit', 'extend', 'note']
    case 'submitted':
      return ['verify', 'reopen', 'note']
    case 'closed':
      return ['reopen', 'note']
    default:
      return ['note']
  }
}

// Reads a File as base64 (without the data: prefix) for the photo upload.
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const s = String(reader.result ?? '')
      resolve(s.slice(s.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

// Element Plus tag type of a contract's or licence's state (valid, expiring within the warning days, expired).
export function contractTagType(state: string): 'danger' | 'warning' | 'success' | 'info' {
  return state === 'expired' ? 'danger' : state === 'expiring' ? 'warning' : state === 'valid' ? 'success' : 'info'
}

// Element Plus tag type of an inspection's rating: a fail stands out, a bare pass warns.
export function ratingTagType(r: string): 'danger' | 'warning' | 'success' {
  return r === 'fail' ? 'danger' : r === 'pass' ? 'warning' : 'success'
}
