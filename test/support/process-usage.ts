import { readFileSync } from 'node:fs';

/** What Linux's /proc says one process has used so far. */
export interface ProcessUsage {
  /** Resident memory now, in bytes (VmRSS). */
  rssBytes: number;
  /** The most resident memory the process ever had, in bytes (VmHWM: the kernel's own high-water mark). */
  peakRssBytes: number;
  /** User plus system CPU time, in seconds. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux build that matters (USER_HZ). */
const ticksPerSecond = 100;

/** Reads /proc/<pid>/status and /proc/<pid>/stat; throws when the process is gone or this is not Linux. */
export function processUsage(pid: number): ProcessUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kibibytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // "pid (comm) state ..." with comm free to hold spaces and parentheses: fields count from after the last ')'.
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 of what follows the name.
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(afterName[11]) + Number(afterName[12]);
  return {
    rssBytes: kibibytes('VmRSS'),
    peakRssBytes: kibibytes('VmHWM'),
    cpuSeconds: ticks / ticksPerSecond,
  };
}
