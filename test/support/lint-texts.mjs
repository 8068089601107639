// Lints texts as if they were the files named, with the project's own ESLint configuration, in one process (jest's
// module sandbox cannot load eslint.config.mjs). Reads [{ filePath, text }] as JSON on stdin, writes each file's
// messages as JSON on stdout.
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const files = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint();
const results = [];
for (const { filePath, text } of files) {
  const [result] = await eslint.lintText(text, { filePath });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
