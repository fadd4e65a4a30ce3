import type { JobMessage, JobRecord } from '../store/job-queue.js';
import { CURRENT_VERSION } from '../directory/version.js';
import { toEsriMessage, toEsriStatus } from './job-status.js';
import type { GPServiceDefinition, TaskDefinition, TaskParameter } from './task.js';

/** The GPServer resource (ArcGIS GP Service resource). */
export function toServiceJson(service: GPServiceDefinition): Record<string, unknown> {
  return {
    currentVersion: CURRENT_VERSION,
    serviceDescription: service.description,
    tasks: service.tasks.map((task) => task.name),
    executionType: service.executionType,
    resultMapServerName: '',
    maximumRecords: 1000,
    capabilities: '',
  };
}

function parameterType(parameter: TaskParameter): string {
  if (parameter.required) return 'esriGPParameterTypeRequired';
  return parameter.direction === 'output' ? 'esriGPParameterTypeDerived' : 'esriGPParameterTypeOptional';
}

export function toParameterJson(parameter: TaskParameter): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: parameter.name,
    dataType: parameter.dataType,
    displayName: parameter.displayName,
    description: parameter.description ?? '',
    direction: parameter.direction === 'input' ? 'esriGPParameterDirectionInput' : 'esriGPParameterDirectionOutput',
    defaultValue: parameter.defaultValue ?? (parameter.dataType === 'GPString' ? '' : null),
    parameterType: parameterType(parameter),
    category: parameter.category ?? '',
  };
  if (parameter.choiceList) json.choiceList = parameter.choiceList;
  return json;
}

/** A task resource (ArcGIS GP Task resource); clients build their call signatures from `parameters`. */
export function toTaskJson(service: GPServiceDefinition, task: TaskDefinition, helpUrl = ''): Record<string, unknown> {
  return {
    name: task.name,
    displayName: task.displayName,
    description: task.description,
    category: '',
    helpUrl,
    executionType: service.executionType,
    parameters: task.parameters.map(toParameterJson),
  };
}

function paramUrls(parameters: TaskParameter[], direction: 'input' | 'output'): Record<string, { paramUrl: string }> {
  const folder = direction === 'input' ? 'inputs' : 'results';
  const out: Record<string, { paramUrl: string }> = {};
  for (const p of parameters) if (p.direction === direction) out[p.name] = { paramUrl: `${folder}/${p.name}` };
  return out;
}

function progressJson(job: JobRecord): Record<string, unknown> {
  if (!job.progress) return { type: 'default', message: 'Executing...' };
  if (job.progress.percent === undefined) return { type: 'default', message: job.progress.message };
  return { type: 'step', message: job.progress.message, percent: job.progress.percent };
}

/**
 * The job resource (ArcGIS GP Job resource). `paramUrl`s are relative to the job URL. `progress` appears
 * only while executing; results are listed in every state, and readable once succeeded.
 */
export function toJobJson(job: JobRecord, task: TaskDefinition, messages: JobMessage[]): Record<string, unknown> {
  const json: Record<string, unknown> = { jobId: job.id, jobStatus: toEsriStatus(job.state) };
  if (job.state === 'executing') json.progress = progressJson(job);
  json.results = paramUrls(task.parameters, 'output');
  json.inputs = paramUrls(task.parameters, 'input');
  json.messages = messages.map(toEsriMessage);
  return json;
}

/** `jobs/<id>/results/<param>` and `inputs/<param>`. */
export function toParamValueJson(parameter: TaskParameter, value: unknown): Record<string, unknown> {
  return { paramName: parameter.name, dataType: parameter.dataType, value: value === undefined ? null : value };
}
