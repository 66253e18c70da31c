// Numbers, times and durations as the console shows them.

const UNITS = [
  ['d', 86400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
];

/** "3 min ago", "2 h ago", "just now". */
export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return `${Math.floor(seconds / size)} ${unit} ago`;
  }
  return 'just now';
}

/** "1 h 4 min", "42 s", "—" for nothing. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  let left = Math.max(0, Math.round(seconds));
  if (left === 0) return '0 s';
  const parts = [];
  for (const [unit, size] of UNITS) {
    if (left >= size && parts.length < 2) {
      parts.push(`${Math.floor(left / size)} ${unit}`);
      left %= size;
    }
  }
  return parts.join(' ');
}

export function milliseconds(ms) {
  if (!ms) return '0 s';
  return ms < 1000 ? `${ms} ms` : duration(ms / 1000);
}

export function count(n) {
  return (n ?? 0).toLocaleString('en-US');
}

export function score(value) {
  return value === null || value === undefined ? '—' : value.toFixed(2);
}

/** "14:00" for an hour bucket, "Nov 3" for a day bucket, always in UTC like the API's buckets. */
export function bucketLabel(iso, unit) {
  const d = new Date(iso);
  if (unit === 'day') {
    return d.toLocaleDateString('en-US', {month: 'short', day: 'numeric', timeZone: 'UTC'});
  }
  return d.toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit', timeZone: 'UTC'});
}

export function dateTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString('en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC',
  }) + ' UTC';
}
