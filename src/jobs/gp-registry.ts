import type { Privilege } from '../auth/privileges.js';
import type { GPServiceDefinition, TaskDefinition } from './task.js';

/**
 * Where a task's definition lives: a module URL and the name it is exported under. Job workers
 * are separate processes, so they import the task from here rather than receive the object.
 */
export interface TaskModuleRef {
  module: string;
  exportName: string;
  /**
   * The definition itself, when the registry imports the module statically: the server then
   * needs no import by URL (a bundled server cannot import `.ts` files). Never sent to workers.
   */
  definition?: TaskDefinition;
}

/**
 * A task by module and export, resolved against the caller's own URL; with its definition when
 * the caller imports it statically.
 *
 * @example taskModule(new URL('./add-image.ts', import.meta.url), 'addImage', addImage)
 */
export function taskModule(module: URL | string, exportName: string, definition?: TaskDefinition): TaskModuleRef {
  return { module: module instanceof URL ? module.href : module, exportName, ...(definition ? { definition } : {}) };
}

/**
 * Tasks imported statically, each the export of the file named after it in kebab case beside
 * `base` (the caller's `import.meta.url`): `addImage` from `./add-image.ts`. So a registry names
 * each task once more than its import.
 *
 * @example tasksBeside(import.meta.url, { addImage, deleteImage })
 */
export function tasksBeside(base: string, definitions: Record<string, TaskDefinition>): TaskModuleRef[] {
  return Object.entries(definitions).map(([exportName, definition]) => {
    const file = exportName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    return taskModule(new URL(`./${file}.ts`, base), exportName, definition);
  });
}

/** What a job worker is sent of a task: where to import it from. */
export function moduleOf(ref: TaskModuleRef): TaskModuleRef {
  return { module: ref.module, exportName: ref.exportName };
}

/** A GP service as declared in a registry: its tasks by module reference. */
export interface GPServiceSpec extends Omit<GPServiceDefinition, 'tasks'> {
  tasks: TaskModuleRef[];
}

export interface RegisteredTask {
  definition: TaskDefinition;
  ref: TaskModuleRef;
  service: RegisteredService;
}

export interface RegisteredService {
  definition: GPServiceDefinition;
  /** `<folder>/<name>` (just `<name>` in the root folder), as job records name it. */
  key: string;
  tasks: RegisteredTask[];
}

/** Imports a task module and checks that the export really is a task. */
export async function importTask(ref: TaskModuleRef): Promise<TaskDefinition> {
  const task = ref.definition ?? ((await import(ref.module)) as Record<string, unknown>)[ref.exportName] as TaskDefinition | undefined;
  if (!task || typeof task.execute !== 'function' || typeof task.name !== 'string') {
    throw new Error(`${ref.module} does not export a task definition named '${ref.exportName}'.`);
  }
  return task;
}

export function serviceKey(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

/** The GP services this server offers, loaded once at start-up. Lookups ignore case, as URLs do. */
export class GPRegistry {
  private constructor(private readonly entries: RegisteredService[]) {}

  static async load(specs: GPServiceSpec[]): Promise<GPRegistry> {
    const entries: RegisteredService[] = [];
    for (const spec of specs) {
      const definitions = await Promise.all(spec.tasks.map(importTask));
      const service: RegisteredService = {
        definition: { ...spec, tasks: definitions },
        key: serviceKey(spec.folder, spec.name),
        tasks: [],
      };
      service.tasks = definitions.map((definition, i) => ({ definition, ref: spec.tasks[i]!, service }));
      entries.push(service);
    }
    return new GPRegistry(entries);
  }

  services(): RegisteredService[] {
    return this.entries;
  }

  findService(folder: string, name: string): RegisteredService | undefined {
    const key = serviceKey(folder, name).toLowerCase();
    return this.entries.find((service) => service.key.toLowerCase() === key);
  }

  findTask(service: string, task: string): RegisteredTask | undefined {
    const entry = this.entries.find((candidate) => candidate.key.toLowerCase() === service.toLowerCase());
    return entry?.tasks.find((candidate) => candidate.definition.name.toLowerCase() === task.toLowerCase());
  }
}

/** The privilege a submitter of this task needs, if any: the task's own, else the service's. */
export function submitPrivilege(task: RegisteredTask): Privilege | undefined {
  return task.definition.requiredPrivilege ?? task.service.definition.requiredPrivilege;
}
