import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/**
 * Every relative link of the project's Markdown leads somewhere: the file or folder exists, and an `#anchor`
 * (in the same file or another one) names a heading there, by GitHub's slug of it. The README stays one screen
 * and leads to every page of docs/.
 */

const root = resolve(__dirname, '..', '..');
const markdown = new MarkdownIt();

/** Tracked Markdown, and new files not yet committed (what CI will check once they are). */
const markdownFiles = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
  {
    cwd: root,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((file) => file !== '' && existsSync(join(root, file)));

function tokensOf(file: string, text = readFileSync(join(root, file), 'utf8')): Token[] {
  return markdown.parse(text, {});
}

/** Link targets in the order they appear, inline and in images. */
function linksOf(file: string, text?: string): string[] {
  const targets: string[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      const target =
        token.type === 'link_open'
          ? token.attrGet('href')
          : token.type === 'image'
            ? token.attrGet('src')
            : null;
      if (target !== null) targets.push(target);
      if (token.children) visit(token.children);
    }
  };
  visit(tokensOf(file, text));
  return targets;
}

/** The anchors GitHub gives the file's headings (a repeated heading gets `-1`, `-2`, ...). */
function anchorsOf(file: string, text?: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = tokensOf(file, text);
  const anchors = new Set<string>();
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[index + 1]?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    anchors.add(slugger.slug(text));
  });
  return anchors;
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');

/** What is wrong with each relative link of `file`: a missing file, or an anchor no heading has. */
function brokenLinks(file: string, text?: string): string[] {
  const broken: string[] = [];
  for (const target of linksOf(file, text).filter(isRelative)) {
    const [path = '', anchor] = target.split('#');
    const here = path === '';
    const linked = here ? file : relative(root, resolve(root, dirname(file), decodeURIComponent(path)));
    if (!here && (linked.startsWith('..') || !existsSync(join(root, linked)))) {
      broken.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !linked.endsWith('.md')) continue;
    const anchors = here ? anchorsOf(file, text) : anchorsOf(linked);
    if (!anchors.has(decodeURIComponent(anchor))) broken.push(`${file}: ${target} (no such heading)`);
  }
  return broken;
}

test('the Markdown checked includes the README and every docs page', () => {
  const docs = readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'));
  expect(docs.length).toBeGreaterThan(10);
  expect(markdownFiles).toEqual(expect.arrayContaining(['README.md', ...docs.map((page) => `docs/${page}`)]));
});

test.each(markdownFiles)('every relative link in %s resolves, anchors included', (file) => {
  expect(brokenLinks(file)).toEqual([]);
});

test('the README leads to the code: its map links many files and folders that exist', () => {
  const local = linksOf('README.md').filter((target) => isRelative(target) && !target.startsWith('docs/'));
  expect(local.length).toBeGreaterThan(20);
});

test('the README fits on a screen and links every docs page', () => {
  expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(15_000);
  const linked = new Set(linksOf('README.md').map((target) => target.split('#')[0]));
  const pages = readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'));
  expect(pages.filter((page) => !linked.has(`docs/${page}`))).toEqual([]);
});

test('a missing file, a missing heading elsewhere and a missing heading here are each caught', () => {
  const page = [
    '# A page',
    '## Same heading',
    '## Same heading',
    '[ok](failures.md#failures) [ok](#same-heading-1) [ok](../src/config.ts) [ok](https://example.com/#x)',
    '[bad](missing.md) [bad](failures.md#no-such-heading) [bad](#no-such-heading) [bad](../src/missing.ts)',
    '`[not a link](missing.md)`',
    '```',
    '[not a link either](missing.md)',
    '```',
  ].join('\n');
  expect(brokenLinks('docs/example.md', page)).toEqual([
    'docs/example.md: missing.md (no such file)',
    'docs/example.md: failures.md#no-such-heading (no such heading)',
    'docs/example.md: #no-such-heading (no such heading)',
    'docs/example.md: ../src/missing.ts (no such file)',
  ]);
});
