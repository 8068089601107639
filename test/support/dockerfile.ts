import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Copy, DockerfileParser, Env, From } from 'dockerfile-ast';

/**
 * The project's Dockerfile read as the tests need it: each stage's base image, its commands (every `RUN` split at
 * `&&` into argument lists), environment, working folder, user and command. The deploy checks and the production
 * install run from this, so what the image does and what the tests do cannot part ways.
 */

export interface DockerStage {
  name: string | undefined;
  image: string;
  tag: string | undefined;
  /** Each shell command of each RUN, in order, as its words. */
  commands: string[][];
  /** `COPY --from=<stage>` sources, as `<stage>:<path>`. */
  copiedFromStages: string[];
  env: Record<string, string>;
  workdir: string | undefined;
  user: string | undefined;
  /** The exec-form CMD. */
  cmd: string[] | undefined;
}

const dockerfilePath = resolve(__dirname, '..', '..', 'Dockerfile');

export function readDockerStages(text = readFileSync(dockerfilePath, 'utf8')): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (instruction instanceof From) {
      const from = instruction;
      stages.push({
        name: from.getBuildStage() ?? undefined,
        image: from.getImageName() ?? '',
        tag: from.getImageTag() ?? undefined,
        commands: [],
        copiedFromStages: [],
        env: {},
        workdir: undefined,
        user: undefined,
        cmd: undefined,
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before any FROM`);
    const args = instruction.getArguments().map((arg) => arg.getValue());
    switch (keyword) {
      case 'RUN':
        stage.commands.push(...splitCommands(args));
        break;
      case 'COPY': {
        const from = instruction instanceof Copy ? instruction.getFromFlag()?.getValue() : undefined;
        if (from) stage.copiedFromStages.push(...args.slice(0, -1).map((source) => `${from}:${source}`));
        break;
      }
      case 'ENV':
        if (!(instruction instanceof Env)) break;
        for (const property of instruction.getProperties()) {
          stage.env[property.getName()] = property.getValue() ?? '';
        }
        break;
      case 'WORKDIR':
        stage.workdir = args[0];
        break;
      case 'USER':
        stage.user = args[0];
        break;
      case 'CMD':
        stage.cmd = JSON.parse(instruction.getArgumentsContent() ?? 'null') as string[];
        break;
    }
  }
  return stages;
}

function splitCommands(words: string[]): string[][] {
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === '&&') commands.push([]);
    else commands.at(-1)!.push(word);
  }
  return commands.filter((command) => command.length > 0);
}

/** The stage the image runs: the last one. */
export function runtimeStage(stages = readDockerStages()): DockerStage {
  const stage = stages.at(-1);
  if (!stage) throw new Error('The Dockerfile has no stage');
  return stage;
}
