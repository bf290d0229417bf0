/**
 * Standard cron schedules as the CronJob controller parses them (robfig/cron's standard parser:
 * five fields, names, ranges, steps, lists, `?`, and the @yearly … @hourly descriptors; when both
 * day-of-month and day-of-week are restricted a day matching either runs). Times are evaluated
 * in `timeZone` (IANA name) or UTC.
 */
export interface CronSchedule {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function field(text: string, min: number, max: number, names?: string[], nameBase = 0): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  const value = (s: string): number => {
    const i = names?.indexOf(s.toLowerCase()) ?? -1;
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : Number.NaN;
    if (Number.isNaN(n)) throw new Error(`failed to parse int from ${s}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in ${part}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`end of range (${hi}) above maximum (${max}): ${part}`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

export function parseCron(schedule: string): CronSchedule {
  const text = DESCRIPTORS[schedule.trim()] ?? schedule.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: ${schedule}`);
  const dow = field(parts[4]!, 0, 7, DAYS);
  if (dow.set.has(7)) {
    dow.set.delete(7);
    dow.set.add(0);
  }
  const dom = field(parts[2]!, 1, 31);
  return {
    minute: field(parts[0]!, 0, 59).set,
    hour: field(parts[1]!, 0, 23).set,
    dom: dom.set,
    month: field(parts[3]!, 1, 12, MONTHS, 1).set,
    dow: dow.set,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

interface Fields {
  minute: number;
  hour: number;
  dom: number;
  month: number;
  dow: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function fieldsAt(ms: number, timeZone: string | undefined): Fields {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const d = new Date(ms);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), dom: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { minute: Number(parts['minute']), hour: Number(parts['hour']), dom: Number(parts['day']), month: Number(parts['month']), dow: DAYS.indexOf(String(parts['weekday']).toLowerCase()) };
}

export function matches(s: CronSchedule, ms: number, timeZone?: string): boolean {
  return check(s, fieldsAt(ms, timeZone)) === 'match';
}

/** 'hour' when nothing in this hour can match (callers skip the rest of it). */
function check(s: CronSchedule, f: Fields): 'match' | 'minute' | 'hour' {
  if (!s.month.has(f.month) || !s.hour.has(f.hour)) return 'hour';
  const domOk = s.dom.has(f.dom);
  const dowOk = s.dow.has(f.dow);
  const dayOk = s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
  if (!dayOk) return 'hour';
  return s.minute.has(f.minute) ? 'match' : 'minute';
}

const MINUTE = 60_000;
/** Look at most this many steps (minutes, or whole hours when an hour cannot match) for a time. */
const HORIZON = 366 * 24 * 60;

/** The latest schedule time in (after, upTo], and how many there were (capped at 101). */
export function lastScheduleIn(s: CronSchedule, after: number, upTo: number, timeZone?: string): { time: number | undefined; missed: number } {
  let t = Math.floor(upTo / MINUTE) * MINUTE;
  let time: number | undefined;
  let missed = 0;
  for (let i = 0; t > after && i < HORIZON; i++) {
    const f = fieldsAt(t, timeZone);
    const r = check(s, f);
    if (r === 'match') {
      time ??= t;
      if (++missed > 100) break;
    }
    // Whole hours that cannot match are skipped (to the last minute of the previous hour).
    t -= r === 'hour' ? (f.minute + 1) * MINUTE : MINUTE;
  }
  return { time, missed };
}

/** The first schedule time after `after`. */
export function nextSchedule(s: CronSchedule, after: number, timeZone?: string): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; i < HORIZON; i++) {
    const f = fieldsAt(t, timeZone);
    const r = check(s, f);
    if (r === 'match') return t;
    t += r === 'hour' ? (60 - f.minute) * MINUTE : MINUTE;
  }
  return undefined;
}
