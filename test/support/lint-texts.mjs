// Lints texts as if they were the files named, with the project's own ESLint configuration, in one process (jest's
// module sandbox cannot load eslint.config.mjs). Runs only the rule named as the first argument, and parses without
// type information: the type-checked rules need the whole TypeScript program (about a minute on 2 cores), and the
// rule under test does not. Reads [{ filePath, text }] as JSON on stdin, writes each file's messages as JSON on stdout.
import { ESLint } from 'eslint';

const [ruleUnderTest] = process.argv.slice(2);
if (!ruleUnderTest) throw new Error('usage: lint-texts.mjs <rule id>  (texts as JSON on stdin)');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const files = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({
  ruleFilter: ({ ruleId }) => ruleId === ruleUnderTest,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});
const results = [];
for (const { filePath, text } of files) {
  const [result] = await eslint.lintText(text, { filePath });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
