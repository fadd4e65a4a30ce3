import type { Principal } from '../auth/principal.js';
import type { Privilege } from '../auth/privileges.js';
import type { Config } from '../config.js';
import type { Stores } from '../store/index.js';

/** ArcGIS GP data types a task parameter can declare. */
export type GPDataType =
  | 'GPString'
  | 'GPBoolean'
  | 'GPLong'
  | 'GPDouble'
  | 'GPDate'
  | 'GPLinearUnit'
  | 'GPRecordSet'
  | 'GPFeatureRecordSetLayer'
  | 'GPRasterDataLayer'
  | 'GPRasterData'
  | 'GPDataFile'
  | 'GPMultiValue:GPString'
  | 'GPValueTable';

export interface TaskParameter {
  name: string;
  dataType: GPDataType;
  displayName: string;
  description?: string;
  direction: 'input' | 'output';
  /** Output parameters are 'derived' on the wire when not required. */
  required: boolean;
  defaultValue?: unknown;
  choiceList?: string[];
  category?: string;
}

/** How a running task reports back; all of it is visible on `jobs/<id>` while it runs. */
export interface TaskContext {
  jobId: string;
  /** The submitter (null for anonymous jobs). */
  principal: Principal | null;
  /** Inputs by parameter name, JSON-parsed where the value was JSON text, defaults applied. */
  inputs: Record<string, unknown>;
  /** A folder owned by this job; removed when the job is deleted or expires. */
  scratchDir: string;
  /** Aborted on cancel, delete and time-out: stop between steps, kill child processes. */
  signal: AbortSignal;
  /** Public base URL as the submitter saw it, e.g. `https://host/arcgis`, for result URLs. */
  baseUrl: string;
  config: Config;
  stores: Stores;
  info(message: string): void;
  warning(message: string): void;
  /** Percent 0–100 with a short message (`progress` on the job resource). */
  progress(percent: number | undefined, message: string): void;
}

/**
 * A geoprocessing task. `execute` runs in a job worker (never on the HTTP event loop) and returns
 * output values by parameter name. Throwing `TaskError` fails the job with that message; any other
 * error fails it with a generic message (details logged).
 */
export interface TaskDefinition {
  name: string;
  displayName: string;
  description: string;
  parameters: TaskParameter[];
  /** Seconds before the job ends esriJobTimedOut (default from config). */
  timeLimitSeconds?: number;
  /** Safe to run again from the start after a crash (else the job fails with a message). */
  retryAfterCrash?: boolean;
  /** Privilege a submitter needs (anonymous → 499, lacking it → 403); overrides the service's. */
  requiredPrivilege?: Privilege;
  /** Checks inputs at submit time (a thrown ApiError/TaskError refuses the submit, no job created). */
  validate?(inputs: Record<string, unknown>, principal: Principal | null): void | Promise<void>;
  execute(context: TaskContext): Promise<Record<string, unknown>>;
  /**
   * Undoes what a cancelled, failed, timed-out or crashed run left behind (rows, services, items,
   * copied files). Runs after the worker is gone, with the same inputs and scratch folder.
   */
  rollback?(context: Omit<TaskContext, 'signal' | 'progress'>): Promise<void>;
}

/** The declared outputs of a task, from what its `execute` returned. */
export function declaredOutputs(task: TaskDefinition, results: Record<string, unknown>): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const parameter of task.parameters) {
    if (parameter.direction === 'output' && results[parameter.name] !== undefined) outputs[parameter.name] = results[parameter.name];
  }
  return outputs;
}

/** A GP service: a named group of tasks, e.g. `System/RasterAnalysisTools`. */
export interface GPServiceDefinition {
  folder: string;
  name: string;
  description: string;
  executionType: 'esriExecutionTypeAsynchronous' | 'esriExecutionTypeSynchronous';
  /** Privilege every task of the service needs unless the task says otherwise; absent = anyone. */
  requiredPrivilege?: Privilege;
  tasks: TaskDefinition[];
}

/** A failure a task explains to the client (becomes an esriJobMessageTypeError message). */
export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}
