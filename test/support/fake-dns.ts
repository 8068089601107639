import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { HostLookup } from '../../src/activities/csv-download';

/**
 * A DNS of the test's own: each made-up name answers with the addresses given (a function of how many times it was
 * asked, for a name that changes its answer), any other name is ENOTFOUND. Nothing is ever resolved for real, so a
 * test can point a name at a private or metadata address and prove it is refused without going near it.
 */
export interface FakeDns {
  lookup: HostLookup;
  /** The names asked, in order. */
  readonly asked: string[];
}

type Answer = string | string[] | ((askedBefore: number) => string | string[]);

export function fakeDns(answers: Record<string, Answer>): FakeDns {
  const asked: string[] = [];
  const lookup: HostLookup = (hostname) => {
    const askedBefore = asked.filter((name) => name === hostname).length;
    asked.push(hostname);
    const answer = answers[hostname];
    if (answer === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
      );
    }
    const given = typeof answer === 'function' ? answer(askedBefore) : answer;
    const addresses: LookupAddress[] = (Array.isArray(given) ? given : [given]).map((address) => ({
      address,
      family: isIP(address),
    }));
    return Promise.resolve(addresses);
  };
  return { lookup, asked };
}
