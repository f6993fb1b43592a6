/** Human formatting of sizes, durations and times for terminal output. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Local time of an epoch-ms instant, with the zone offset (quota resets are at Shanghai midnight). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (x: number) => String(x).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} (UTC${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)})`;
}

/** "listFolder 2, filesUploadAll 5" */
export function formatCalls(calls: Partial<Record<string, number>>): string {
  const entries = Object.entries(calls).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return '0';
  const total = entries.reduce((s, [, n]) => s + (n ?? 0), 0);
  return `${total} (${entries.map(([k, n]) => `${k} ${n}`).join(', ')})`;
}

/** Engine messages of Feishu errors end with " — <remedy>" and carry "[log id …]": both are shown on their own, so drop them here. */
export function withoutRemedy(message: string, remedy: string | undefined): string {
  const trimmed = remedy ? message.split(` — ${remedy}`).join('') : message;
  return trimmed.replace(/ \[log id [^\]]+\]/, '');
}
