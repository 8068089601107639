import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CsvSourcePolicy } from '../../src/activities/csv-source';
import { fetchCsvSource } from '../../src/activities/csv-source';
import { validateCsvActivity } from '../../src/activities/validate-csv';
import { systemClock } from '../../src/platform/clock';
import { FolderStore } from '../../src/store/folder-store';
import { failureOf } from '../support/activity-context';
import { testAgentId as agentId } from '../support/constants';
import { fakeDns } from '../support/fake-dns';
import type { FakeDns } from '../support/fake-dns';
import { serveOnLoopback } from '../support/loopback-server';
import type { LoopbackServer } from '../support/loopback-server';
import { installNetworkGuard } from '../support/network-guard';
import type { NetworkGuard } from '../support/network-guard';

/**
 * Where a campaign's CSV may come from: local files only inside the allowed folders, URLs only to public addresses
 * or allowed hosts, checked on every redirect, within a byte cap and a deadline. All traffic stays on loopback: the
 * refusals of private and metadata addresses get their DNS answers from a fake resolver, and a network guard
 * records (and blocks) any connection that would leave loopback; every test ends with it having seen none.
 */

const csvText = 'contact_number,name\n+919876543210,Asha\n+91 98123 45678,Ravi\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let guard: NetworkGuard;
let host: LoopbackServer;
let port: number;
/** Paths the loopback server was asked for. */
let served: string[];
let workDir: string;
let allowedDir: string;
let outsideDir: string;
let resultsDir: string;
let dns: FakeDns;

beforeAll(async () => {
  guard = installNetworkGuard();
  host = await serveOnLoopback((req, res) => {
    const path = req.url ?? '/';
    served.push(path);
    const redirect = (location: string) => res.writeHead(302, { location }).end();
    if (path.startsWith('/contacts.csv')) res.writeHead(200, { 'content-type': 'text/csv' }).end(csvText);
    else if (path === '/to-metadata') redirect('http://169.254.169.254/latest/meta-data/iam/?token=secret');
    else if (path === '/to-private-name') redirect('http://intranet.test/contacts.csv');
    else if (path === '/to-loopback-ip') redirect(`http://127.0.0.1:${port}/contacts.csv`);
    else if (path === '/to-file') redirect('file:///etc/passwd');
    else if (path.startsWith('/hop/')) redirect(`/hop/${Number(path.slice(5)) + 1}`);
    else if (path === '/announced-big')
      res.writeHead(200, { 'content-length': 5_000 }).end('x'.repeat(5_000));
    else if (path === '/chunked-big') {
      res.writeHead(200);
      for (let i = 0; i < 50; i += 1) res.write('x'.repeat(100));
      res.end();
    } else if (path === '/trickle') {
      res.writeHead(200);
      res.write(csvText.slice(0, 20));
      // A byte every 50 ms, bounded at 10 s, until the client gives up.
      let sent = 0;
      const timer = setInterval(() => {
        if ((sent += 1) > 200) {
          clearInterval(timer);
          res.end();
        } else res.write('x');
      }, 50);
      res.on('close', () => clearInterval(timer));
    } else res.writeHead(404).end();
  });
  port = host.port;
  workDir = await mkdtemp(join(tmpdir(), 'csv-source-'));
  allowedDir = join(workDir, 'allowed');
  outsideDir = join(workDir, 'outside');
  resultsDir = join(workDir, 'results');
  await Promise.all([allowedDir, outsideDir, resultsDir].map((dir) => mkdir(dir)));
});

afterAll(async () => {
  guard?.uninstall();
  await host?.close();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  served = [];
  dns = fakeDns({
    'files.internal.test': '127.0.0.1',
    'anything.test': '127.0.0.1',
    'intranet.test': '10.1.2.3',
    'metadata.test': '169.254.169.254',
    'ec2-v6.test': 'fd00:ec2::254',
    'mapped.test': '::ffff:192.168.1.20',
    'cgnat.test': '100.64.0.9',
    'half-private.test': ['93.184.216.34', '10.0.0.1'],
    // Checked as loopback, then answering a metadata address to whoever asks next.
    'rebind.test': (askedBefore) => (askedBefore === 0 ? '127.0.0.1' : '169.254.169.254'),
  });
});

afterEach(() => {
  // Nothing any test did may have tried to leave loopback (emptied, so each test answers for its own).
  expect(guard.blocked.splice(0)).toEqual([]);
});

function policy(overrides: Partial<CsvSourcePolicy> = {}): CsvSourcePolicy {
  return {
    allowedDirs: [allowedDir],
    allowedHosts: [],
    maxBytes: 1024 * 1024,
    downloadTimeoutMs: 10_000,
    lookup: dns.lookup,
    ...overrides,
  };
}

let campaigns = 0;
function validate(csv: string, overrides: Partial<CsvSourcePolicy> = {}, csvSha256?: string) {
  campaigns += 1;
  return validateCsvActivity({
    clock: systemClock,
    resultsStore: new FolderStore(resultsDir),
    csvSources: policy(overrides),
  })({
    campaign: { agentId, csv, ...(csvSha256 ? { csvSha256 } : {}) },
    campaignKey: `campaign-${campaigns}`,
  });
}

async function writeCsv(folder: string, name: string, content = csvText): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, content);
  return path;
}

describe('local files', () => {
  test('a file inside an allowed folder is read, by absolute or relative path', async () => {
    const path = await writeCsv(allowedDir, 'inside.csv');
    expect((await validate(path)).rows).toBe(2);
    // Relative paths are the worker's working directory's, resolved before the folder check.
    expect((await validate(relative(process.cwd(), path))).rows).toBe(2);
  });

  test('a file outside the allowed folders is refused, naming the folders and quoting nothing of it', async () => {
    const outside = await writeCsv(outsideDir, 'outside.csv', 'name\nsecret-contents\n');
    for (const csv of [outside, '/etc/passwd', join(allowedDir, '..', 'outside', 'outside.csv')]) {
      const refused = await failureOf(validate(csv));
      expect({ type: refused.type, nonRetryable: refused.nonRetryable }).toEqual({
        type: 'CsvSourceRefused',
        nonRetryable: true,
      });
      expect(refused.message).toContain(allowedDir);
      expect(refused.message).toMatch(/BOLNA_CSV_DIRS/);
      expect(refused.message).not.toMatch(/secret-contents|root:/);
    }
  });

  test('/proc, /sys and /dev are never read, even with BOLNA_CSV_DIRS=/', async () => {
    for (const csv of ['/proc/self/environ', '/proc/self/cmdline', '/sys/kernel/hostname', '/dev/zero']) {
      const refused = await failureOf(validate(csv, { allowedDirs: ['/'] }));
      expect(refused).toMatchObject({ type: 'CsvSourceRefused', nonRetryable: true });
      expect(refused.message).toMatch(/under \/(proc|sys|dev), which the worker never reads/);
      expect(refused.message).not.toContain(process.env.PATH ?? '/usr/bin');
    }
  });

  test('a symlink is followed before the check: one leading out of the allowed folder is refused', async () => {
    const target = await writeCsv(outsideDir, 'target.csv');
    await symlink(target, join(allowedDir, 'link-out.csv'));
    await symlink('/proc/self/environ', join(allowedDir, 'link-environ.csv'));
    await symlink(outsideDir, join(allowedDir, 'folder-out'));
    expect(await failureOf(validate(join(allowedDir, 'link-out.csv')))).toMatchObject({
      type: 'CsvSourceRefused',
    });
    expect((await failureOf(validate(join(allowedDir, 'link-environ.csv')))).message).toMatch(/under \/proc/);
    expect(await failureOf(validate(join(allowedDir, 'folder-out', 'target.csv')))).toMatchObject({
      type: 'CsvSourceRefused',
    });
    // A symlink that stays inside is fine.
    await symlink(await writeCsv(allowedDir, 'real.csv'), join(allowedDir, 'link-in.csv'));
    expect((await validate(join(allowedDir, 'link-in.csv'))).rows).toBe(2);
  });

  test('a missing file is reported as missing only inside the allowed folders', async () => {
    expect(await failureOf(validate(join(allowedDir, 'nope.csv')))).toMatchObject({
      type: 'CsvSourceError',
      message: expect.stringMatching(/nope\.csv' does not exist/) as unknown,
    });
    expect(await failureOf(validate(join(outsideDir, 'nope.csv')))).toMatchObject({
      type: 'CsvSourceRefused',
    });
  });

  test('with csvSha256, the worker reads exactly the file the starter validated or refuses it', async () => {
    const path = await writeCsv(allowedDir, 'pinned.csv');
    expect((await validate(path, {}, sha256(csvText))).rows).toBe(2);
    expect((await validate(path, {}, sha256(csvText).toUpperCase())).rows).toBe(2);

    await writeFile(path, `${csvText}+14155550123,Maria\n`);
    const changed = await failureOf(validate(path, {}, sha256(csvText)));
    expect(changed).toMatchObject({ type: 'CsvChanged', nonRetryable: true });
    expect(changed.message).toMatch(/not the file that was validated/);
    // Changed into something invalid: still reported as a changed file, not as the new file's problems.
    await writeFile(path, 'phone\n123\n');
    expect(await failureOf(validate(path, {}, sha256(csvText)))).toMatchObject({ type: 'CsvChanged' });
  });
});

describe('URLs', () => {
  const url = (path: string, hostName = '127.0.0.1') => `http://${hostName}:${port}${path}`;

  test('a download from an allowed range works, and never shows the signed query', async () => {
    const facts = await validate(url('/contacts.csv?signature=secret'), { allowedHosts: ['127.0.0.0/8'] });
    expect(facts.rows).toBe(2);
    // A name resolving into the allowed range is fine too.
    expect(
      (await validate(url('/contacts.csv', 'anything.test'), { allowedHosts: ['127.0.0.0/8'] })).rows,
    ).toBe(2);
    expect(served).toEqual(['/contacts.csv?signature=secret', '/contacts.csv']);
  });

  test('an allowed host name may resolve to a private address', async () => {
    const facts = await validate(url('/contacts.csv', 'files.internal.test'), {
      allowedHosts: ['files.internal.test'],
    });
    expect(facts.rows).toBe(2);
  });

  test('loopback is refused unless allowed, before any connection', async () => {
    const refused = await failureOf(validate(url('/contacts.csv?signature=secret')));
    expect(refused).toMatchObject({ type: 'CsvSourceRefused', nonRetryable: true });
    expect(refused.message).toMatch(
      /127\.0\.0\.1.*a loopback address; allow it with BOLNA_CSV_ALLOWED_HOSTS/,
    );
    expect(refused.message).not.toContain('secret');
    expect(served).toEqual([]);
  });

  test.each([
    ['IPv4', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['IPv4-mapped IPv6', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['ECS task credentials', 'http://169.254.170.2/v2/credentials/x'],
  ])(
    'a literal metadata address (%s) is refused without DNS, even inside an allowed range',
    async (_, csv) => {
      const refused = await failureOf(validate(csv, { allowedHosts: ['169.254.0.0/16', 'fd00::/8'] }));
      expect(refused).toMatchObject({ type: 'CsvSourceRefused', nonRetryable: true });
      expect(refused.message).toMatch(/cloud metadata address, which is never allowed/);
      expect(dns.asked).toEqual([]);
    },
  );

  test.each([
    ['intranet.test', /10\.1\.2\.3, a private \(RFC 1918\) address/],
    ['metadata.test', /169\.254\.169\.254, a cloud metadata address/],
    ['ec2-v6.test', /fd00:ec2::254, a cloud metadata address/],
    ['mapped.test', /::ffff:192\.168\.1\.20, a private \(RFC 1918\) address/],
    ['cgnat.test', /100\.64\.0\.9, a carrier-grade NAT address/],
    ['half-private.test', /10\.0\.0\.1, a private/],
  ])('a name that resolves to a refused address (%s) is refused before connecting', async (name, message) => {
    const refused = await failureOf(validate(`http://${name}/contacts.csv?token=secret`));
    expect(refused).toMatchObject({ type: 'CsvSourceRefused', nonRetryable: true });
    expect(refused.message).toMatch(message);
    expect(refused.message).not.toContain('secret');
    expect(dns.asked).toEqual([name]);
  });

  test.each([
    ['/to-metadata', /169\.254\.169\.254\/latest\/meta-data\/iam\/, a cloud metadata address/],
    ['/to-private-name', /intranet\.test resolves to 10\.1\.2\.3, a private/],
    ['/to-loopback-ip', /127\.0\.0\.1.*a loopback address/],
    ['/to-file', /only http and https are fetched/],
  ])('an allowed host redirecting to a refused target (%s) is refused at that hop', async (path, message) => {
    const refused = await failureOf(
      validate(url(path, 'files.internal.test'), { allowedHosts: ['files.internal.test'] }),
    );
    expect(refused).toMatchObject({ type: 'CsvSourceRefused', nonRetryable: true });
    expect(refused.message).toMatch(message);
    expect(refused.message).not.toMatch(/token=secret|root:/);
    expect(served).toEqual([path]);
  });

  test('at most 5 redirects are followed', async () => {
    const refused = await failureOf(validate(url('/hop/0'), { allowedHosts: ['127.0.0.1'] }));
    expect(refused).toMatchObject({ type: 'CsvSourceError', nonRetryable: true });
    expect(refused.message).toMatch(/redirects more than 5 times/);
    expect(served).toEqual(['/hop/0', '/hop/1', '/hop/2', '/hop/3', '/hop/4', '/hop/5']);
  });

  test('the connection is pinned to the checked address: a DNS answer that changes later is never used', async () => {
    const facts = await validate(url('/contacts.csv', 'rebind.test'), { allowedHosts: ['127.0.0.0/8'] });
    expect(facts.rows).toBe(2);
    expect(dns.asked).toEqual(['rebind.test']);
  });

  test('a host nobody knows fails without retries', async () => {
    const failure = await failureOf(validate('http://no-such-host.test/contacts.csv'));
    expect(failure).toMatchObject({ type: 'CsvSourceError', nonRetryable: true });
    expect(failure.message).toMatch(/ENOTFOUND/);
  });

  describe('bounds', () => {
    const downloadPath = () => join(workDir, `download-${Date.now()}.csv`);

    test('a body over the byte cap is refused, announced or not, and no partial file is left', async () => {
      const bounded = policy({ allowedHosts: ['127.0.0.1'], maxBytes: 1_000 });
      const announced = downloadPath();
      const early = await failureOf(fetchCsvSource(url('/announced-big'), announced, bounded));
      expect(early).toMatchObject({ type: 'CsvTooLarge', nonRetryable: true });
      expect(early.message).toMatch(
        /larger than the 1000 bytes allowed \(BOLNA_CSV_MAX_BYTES\): it announced 5000/,
      );
      expect(existsSync(announced)).toBe(false);

      const streamed = downloadPath();
      const late = await failureOf(fetchCsvSource(url('/chunked-big'), streamed, bounded));
      expect(late).toMatchObject({ type: 'CsvTooLarge', nonRetryable: true });
      expect(existsSync(streamed)).toBe(false);
    });

    test('a download past its deadline is abandoned, and no partial file is left', async () => {
      const path = downloadPath();
      const started = Date.now();
      const failure = await failureOf(
        fetchCsvSource(
          url('/trickle'),
          path,
          policy({ allowedHosts: ['127.0.0.1'], downloadTimeoutMs: 500 }),
        ),
      );
      expect(failure).toMatchObject({ type: 'CsvDownloadTimedOut', nonRetryable: true });
      expect(failure.message).toMatch(/longer than 0\.5 s \(BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(existsSync(path)).toBe(false);
      expect(await readdir(workDir)).toEqual(['allowed', 'outside', 'results']);
    });
  });
});
