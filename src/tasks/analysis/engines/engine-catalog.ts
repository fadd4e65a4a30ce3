import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { TaskError } from '../../../jobs/task.js';

/** The analysis engines, each a Debian package that puts a command on PATH. */
export type EngineName = 'grass' | 'saga' | 'otb';

interface EngineSpec {
  label: string;
  /** A command the package installs, to tell whether the engine is there. */
  program: string;
  debianPackage: string;
}

export const ENGINES: Record<EngineName, EngineSpec> = {
  grass: { label: 'GRASS GIS', program: 'grass', debianPackage: 'grass-core' },
  saga: { label: 'SAGA GIS', program: 'saga_cmd', debianPackage: 'saga' },
  otb: { label: 'Orfeo ToolBox', program: 'otbcli_LargeScaleMeanShift', debianPackage: 'otb-bin' },
};

/** Full path of a command found on PATH, or undefined. */
export function findProgram(program: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Fails the job plainly when an engine is missing (a trimmed install), naming the package.
 *
 * @example requireEngine('grass', 'Fill') // throws "Fill needs GRASS GIS … apt-get install grass-core"
 */
export function requireEngine(engine: EngineName, task: string): void {
  const spec = ENGINES[engine];
  if (findProgram(spec.program)) return;
  throw new TaskError(
    `${task} needs ${spec.label}, which is not installed on this server: install the Debian package '${spec.debianPackage}' (apt-get install ${spec.debianPackage}).`,
  );
}
