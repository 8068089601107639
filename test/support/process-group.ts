import { existsSync, readFileSync, readdirSync } from 'node:fs';

/**
 * The living processes of process group `pgid`. On Linux it reads /proc, so a killed process that nobody has reaped
 * yet (a zombie) does not count; elsewhere signal 0 to the group answers, and the group leader stands for all.
 */
export function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return livingProcesses()
    .filter((entry) => entry.pgrp === pgid)
    .map((entry) => entry.pid);
}

/**
 * The living processes of group `pgid` and every descendant of theirs, in whatever group: PostgreSQL's backends,
 * for one, each start a session of their own. Linux only (empty elsewhere).
 */
export function groupTree(pgid: number): number[] {
  const living = existsSync('/proc/self/stat') ? livingProcesses() : [];
  const tree = new Set(living.filter((entry) => entry.pgrp === pgid).map((entry) => entry.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of living) {
      if (!tree.has(entry.pid) && tree.has(entry.ppid)) {
        tree.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** Every process alive now (zombies left out), with its parent and group, from /proc. */
function livingProcesses(): { pid: number; ppid: number; pgrp: number }[] {
  const living: { pid: number; ppid: number; pgrp: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so split after the last ')'.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && state !== 'X')
      living.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp) });
  }
  return living;
}

/** Sends `signal` to every process of group `pgid`; a group already gone is no error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Sends `signal` to one process; one already gone is no error. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
