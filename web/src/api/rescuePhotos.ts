// Photos of cases and missing-person reports with what the face engine found (server: src/rescue/photos.h,
// docs/rescue.md "Photos"). Uploads are base64 in JSON, like inspection photos.
import { http } from './http'

export type PhotoOwner = 'case' | 'report'
export type FaceStatus = 'one' | 'several' | 'none' | 'unsupported' | 'unavailable'

export interface PhotoFace {
  score: number
  box: { x: number; y: number; width: number; height: number }
}

export interface RescuePhoto {
  id: number
  key: string
  owner_type: PhotoOwner
  owner_id: number
  file_name: string
  content_type: string
  size_bytes: number
  caption: string
  width: number
  height: number
  url: string
  face_status: FaceStatus
  face_message: string
  faces: PhotoFace[]
  selected_face: number | null
  status: 'active' | 'withdrawn'
  withdrawn?: { reason: string; at: string; by: number }
  version: number
  created_at: string
}

export interface PhotoUploadBody {
  file_name: string
  content_type: string
  data: string
  caption?: string
}

const base = (owner: PhotoOwner, id: number) =>
  owner === 'case' ? `/rescue/cases/${id}/photos` : `/rescue/missing-reports/${id}/photos`

export const listPhotos = (owner: PhotoOwner, id: number) => http.get<{ items: RescuePhoto[] }>(base(owner, id))
export const uploadRescuePhoto = (owner: PhotoOwner, id: number, body: PhotoUploadBody) =>
  http.post<RescuePhoto>(base(owner, id), body)
export const withdrawPhoto = (id: number, version: number, reason: string) =>
  http.post<RescuePhoto>(`/rescue/photos/${id}/withdraw`, { version, reason })
export const selectFace = (id: number, version: number, face: number) =>
  http.post<RescuePhoto>(`/rescue/photos/${id}/face`, { version, face })

// The face part of a candidate's explanation (src/rescue/matching.cc).
export interface FaceExplanation {
  similarity: number
  weight: number
  threshold: number
  photos_compared: { person: number; report: number; pairs: number }
  notice: string
}
export function faceOf(explanation: unknown): FaceExplanation | null {
  if (!explanation || typeof explanation !== 'object') return null
  const f = (explanation as { face?: FaceExplanation }).face
  return f && typeof f.similarity === 'number' ? f : null
}
