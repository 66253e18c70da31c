// OpenAI's harm categories (API.md) and how the policy applies to a forum category.

export const HARM_CATEGORIES = [
  'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent',
  'self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual', 'sexual/minors', 'violence',
  'violence/graphic',
];

/** One colour per harm category, distinguishable side by side in a stacked chart. */
export const HARM_COLORS = {
  'harassment': '#6366f1',
  'harassment/threatening': '#312e81',
  'hate': '#e11d48',
  'hate/threatening': '#881337',
  'illicit': '#0891b2',
  'illicit/violent': '#155e75',
  'self-harm': '#f59e0b',
  'self-harm/intent': '#b45309',
  'self-harm/instructions': '#78350f',
  'sexual': '#d946ef',
  'sexual/minors': '#701a75',
  'violence': '#16a34a',
  'violence/graphic': '#14532d',
};

/** The thresholds in force for a harm category in a forum category: the override's, else the global ones. */
export function effective(policy, forumCategory, harmCategory) {
  const override = policy?.categoryOverrides?.[forumCategory]?.thresholds;
  if (override && Object.prototype.hasOwnProperty.call(override, harmCategory)) {
    return override[harmCategory] || {flag: null, reject: null};
  }
  return policy?.thresholds?.[harmCategory] || {flag: null, reject: null};
}

/** "rejected", "flagged" or "published" for one score under its thresholds. */
export function level(score, thresholds) {
  if (score === null || score === undefined) return 'none';
  if (thresholds.reject !== null && thresholds.reject !== undefined && score >= thresholds.reject) return 'reject';
  if (thresholds.flag !== null && thresholds.flag !== undefined && score >= thresholds.flag) return 'flag';
  return 'ok';
}
