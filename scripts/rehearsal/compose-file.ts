import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml as the rehearsal reads it: the image versions it pins and the environment, entrypoint and bind
 * mounts of each service, interpolated as Compose would from the variables given (the rehearsal's own `.env`). The
 * rehearsal runs each part as the compose file describes it, so the two cannot drift; only addresses and ports,
 * which Compose's network provides, are the rehearsal's own.
 */

const composeFilePath = resolve(__dirname, '..', '..', 'docker-compose.yml');

export interface ComposeService {
  image?: string;
  environment: Record<string, string>;
  entrypoint: string[];
  command: string[];
  /** Bind mounts: container path → absolute host path. */
  mounts: Map<string, string>;
  stopGracePeriod?: string;
}

interface RawService {
  image?: string;
  environment?: Record<string, string | number | boolean>;
  entrypoint?: string[] | string;
  command?: string[] | string;
  volumes?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  service(name: string): ComposeService;
  /** The version an image is pinned to (`temporalio/server:1.32.0` → `1.32.0`). */
  imageVersion(name: string): string;
}

/**
 * Compose's interpolation: `${NAME}`, `${NAME:-default}`, `${NAME:?message}` (required), and `$$` for a literal `$`.
 */
export function interpolate(text: string, variables: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/gi,
    (whole, name?: string, kind?: string, rest?: string) => {
      if (whole === '$$') return '$';
      const value = variables[name!];
      const set = value !== undefined && value !== '';
      if (kind === ':-') return set ? value : (rest ?? '');
      if (kind === ':?' && !set) throw new Error(`docker-compose.yml needs ${name}: ${rest}`);
      return value ?? '';
    },
  );
}

export async function readComposeFile(
  variables: Readonly<Record<string, string | undefined>>,
  path = composeFilePath,
): Promise<ComposeFile> {
  const document = parse(await readFile(path, 'utf8'), { merge: true }) as {
    services: Record<string, RawService>;
  };
  const folder = resolve(path, '..');
  const raw = (name: string): RawService => {
    const service = document.services[name];
    if (!service) throw new Error(`docker-compose.yml has no service '${name}'`);
    return service;
  };
  return {
    service(name) {
      const service = raw(name);
      const mounts = new Map<string, string>();
      for (const volume of service.volumes ?? []) {
        const [source, target] = volume.split(':');
        // Named volumes (no path) are Docker's storage, not a file of the project.
        if (source && target && (source.startsWith('.') || isAbsolute(source))) {
          mounts.set(target, resolve(folder, source));
        }
      }
      return {
        ...(service.image ? { image: interpolate(service.image, variables) } : {}),
        environment: Object.fromEntries(
          Object.entries(service.environment ?? {}).map(([key, value]) => [
            key,
            interpolate(String(value), variables),
          ]),
        ),
        entrypoint: [service.entrypoint ?? []].flat(),
        command: [service.command ?? []].flat(),
        mounts,
        ...(service.stop_grace_period ? { stopGracePeriod: service.stop_grace_period } : {}),
      };
    },
    imageVersion(name) {
      const image = raw(name).image ?? '';
      const version = /:(\d[\w.-]*)$/.exec(image)?.[1];
      if (!version)
        throw new Error(`docker-compose.yml's ${name} image (${image}) is not pinned to a version`);
      return version;
    },
  };
}

/** The host file behind a path inside a service's container, through its bind mounts. */
export function hostPathOf(service: ComposeService, containerPath: string): string {
  for (const [target, source] of service.mounts) {
    if (containerPath === target) return source;
    if (containerPath.startsWith(`${target}/`))
      return resolve(source, containerPath.slice(target.length + 1));
  }
  throw new Error(`${containerPath} is not under any bind mount of the service`);
}
