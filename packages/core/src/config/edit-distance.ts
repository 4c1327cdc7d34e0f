/**
 * Levenshtein distance (insertions, deletions and substitutions each cost 1), used for "did you mean"
 * suggestions. Example: `min-replica` -> `min-replicas` is 1.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `word` by {@link editDistance}, when it is close enough to be a plausible typo:
 * at most `max(2, floor(word.length / 5))` edits; a candidate that `word` (3+ characters) is the beginning of
 * counts as one edit (a truncated name). Ties go to the first candidate. Undefined when none is close.
 * Example: `scale-to-zero-grace` -> `scale-to-zero-grace-period`.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 5));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const truncated = word.length >= 3 && candidate.length > word.length && candidate.startsWith(word);
    const d = truncated ? 1 : editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
