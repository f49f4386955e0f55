/**
 * Indices into the 468-point MediaPipe face mesh that Seam uses by name (the same numbers as
 * @mediapipe/face_mesh's FACEMESH_* sets; that package is browser code, so they are restated here).
 * "Right"/"left" are the subject's: the right eye is on the image's left in a frontal photo.
 */
export const MESH_POINT_COUNT = 468;

export const MESH = {
  rightEyeOuter: 33,
  rightEyeInner: 133,
  leftEyeInner: 362,
  leftEyeOuter: 263,
  noseTip: 1,
  mouthRight: 61,
  mouthLeft: 291,
  upperLipTop: 0,
  lowerLipBottom: 17,
  chin: 152,
  foreheadTop: 10,
  rightCheek: 234,
  leftCheek: 454,
} as const;

export type MeshPointName = keyof typeof MESH;
