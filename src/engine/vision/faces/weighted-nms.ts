/**
 * Weighted non-max suppression (MediaPipe's WEIGHTED algorithm): the strongest remaining
 * detection and every detection overlapping it by more than the IoU threshold form a cluster;
 * the cluster's box and keypoints are the score-weighted average of its members, its score the
 * leader's. Averaging, rather than dropping the weaker boxes, steadies the box between frames.
 */
import type { CandidateFace } from './decode-detections';

export function intersectionOverUnion(a: CandidateFace, b: CandidateFace): number {
  const iw = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const ih = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (iw <= 0 || ih <= 0) return 0;
  const intersection = iw * ih;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - intersection;
  return union > 0 ? intersection / union : 0;
}

export function weightedNonMaxSuppression(candidates: readonly CandidateFace[], iouThreshold = 0.3): CandidateFace[] {
  let remaining = [...candidates].sort((a, b) => b.score - a.score);
  const kept: CandidateFace[] = [];
  while (remaining.length > 0) {
    const leader = remaining[0]!;
    const cluster: CandidateFace[] = [];
    const rest: CandidateFace[] = [];
    for (const candidate of remaining) {
      // The leader is in its own cluster (IoU 1).
      if (candidate === leader || intersectionOverUnion(leader, candidate) > iouThreshold) cluster.push(candidate);
      else rest.push(candidate);
    }
    kept.push(weightedAverage(leader, cluster));
    remaining = rest;
  }
  return kept;
}

function weightedAverage(leader: CandidateFace, cluster: readonly CandidateFace[]): CandidateFace {
  let total = 0;
  let xmin = 0;
  let ymin = 0;
  let xmax = 0;
  let ymax = 0;
  const keypoints = new Array<number>(leader.keypoints.length).fill(0);
  for (const c of cluster) {
    total += c.score;
    xmin += c.xmin * c.score;
    ymin += c.ymin * c.score;
    xmax += c.xmax * c.score;
    ymax += c.ymax * c.score;
    for (let k = 0; k < keypoints.length; k++) keypoints[k]! += c.keypoints[k]! * c.score;
  }
  const foundBy = [...new Set(cluster.flatMap((c) => c.foundBy))];
  return {
    xmin: xmin / total,
    ymin: ymin / total,
    xmax: xmax / total,
    ymax: ymax / total,
    score: leader.score,
    keypoints: keypoints.map((v) => v / total),
    model: leader.model,
    foundBy,
  };
}
