import type { HtmlForm } from '../html/render-page.js';
import type { PageSpec } from '../http/respond.js';
import { FINISHED_STATES, type JobRecord } from '../store/job-queue.js';
import type { RegisteredService, RegisteredTask } from './gp-registry.js';
import type { TaskParameter } from './task.js';

/** URLs of a GP service and its parts, below the public base URL. */
export function serviceUrl(base: string, service: RegisteredService): string {
  const { folder, name } = service.definition;
  return `${base}/rest/services/${folder ? `${folder}/` : ''}${name}/GPServer`;
}

export function taskUrl(base: string, task: RegisteredTask): string {
  return `${serviceUrl(base, task.service)}/${task.definition.name}`;
}

export function jobUrl(base: string, task: RegisteredTask, jobId: string): string {
  return `${taskUrl(base, task)}/jobs/${jobId}`;
}

function crumbs(base: string, service: RegisteredService, task?: RegisteredTask) {
  const list: NonNullable<PageSpec['breadcrumbs']> = [
    { label: 'Home', href: `${base}/rest/services` },
    { label: 'services', href: `${base}/rest/services` },
  ];
  if (service.definition.folder) list.push({ label: service.definition.folder, href: `${base}/rest/services/${service.definition.folder}` });
  list.push({ label: `${service.definition.name} (GPServer)`, href: serviceUrl(base, service) });
  if (task) list.push({ label: task.definition.name, href: taskUrl(base, task) });
  return list;
}

export function servicePage(base: string, service: RegisteredService): PageSpec {
  return {
    title: `${service.definition.name} (GPServer)`,
    breadcrumbs: crumbs(base, service),
    links: service.tasks.map((task) => ({ label: task.definition.name, href: taskUrl(base, task), note: task.definition.displayName })),
  };
}

function inputField(parameter: TaskParameter): HtmlForm['fields'][number] {
  const label = `${parameter.displayName}${parameter.required ? ' *' : ''} (${parameter.dataType})`;
  const value = parameter.defaultValue === undefined ? '' : typeof parameter.defaultValue === 'string' ? parameter.defaultValue : JSON.stringify(parameter.defaultValue);
  if (parameter.choiceList?.length) return { name: parameter.name, label, type: 'select', options: parameter.choiceList, value };
  if (parameter.dataType === 'GPBoolean') return { name: parameter.name, label, type: 'select', options: ['true', 'false'], value: value || 'false' };
  const structured = !['GPString', 'GPLong', 'GPDouble', 'GPDate'].includes(parameter.dataType);
  return { name: parameter.name, label, type: structured ? 'textarea' : 'text', value };
}

/** The task page with a form that submits a job (or executes, for synchronous services). */
export function taskPage(base: string, task: RegisteredTask, token: string | undefined): PageSpec {
  const operation = task.service.definition.executionType === 'esriExecutionTypeAsynchronous' ? 'submitJob' : 'execute';
  const fields: HtmlForm['fields'] = task.definition.parameters.filter((p) => p.direction === 'input').map(inputField);
  fields.push({ name: 'f', label: 'Format', type: 'select', options: ['html', 'json', 'pjson'], value: 'html' });
  if (token) fields.push({ name: 'token', type: 'hidden', value: token });
  return {
    title: `${task.definition.displayName} (${task.definition.name})`,
    breadcrumbs: crumbs(base, task.service, task),
    operations: [{ label: operation === 'submitJob' ? 'Submit Job' : 'Execute Task', href: `${taskUrl(base, task)}/${operation}` }],
    form: { action: `${taskUrl(base, task)}/${operation}`, method: 'POST', submitLabel: operation === 'submitJob' ? 'Submit Job (POST)' : 'Execute Task (POST)', fields },
  };
}

/** The job page: status, messages, links to each result and input, cancel and delete. */
export function jobPage(base: string, task: RegisteredTask, job: JobRecord, token: string | undefined): PageSpec {
  const url = jobUrl(base, task, job.id);
  const suffix = token ? `?token=${encodeURIComponent(token)}` : '';
  const links = task.definition.parameters.map((p) => ({
    label: p.name,
    href: `${url}/${p.direction === 'input' ? 'inputs' : 'results'}/${p.name}${suffix}`,
    note: p.direction === 'input' ? 'input' : 'result',
  }));
  return {
    title: `Job: ${job.id}`,
    breadcrumbs: [...crumbs(base, task.service, task), { label: 'jobs' }, { label: job.id }],
    // Status, progress and messages come back every few seconds until the job ends.
    ...(FINISHED_STATES.includes(job.state) ? {} : { refreshSeconds: 2 }),
    links: job.state === 'succeeded' ? links : links.filter((link) => link.note === 'input'),
    operations: [{ label: 'Cancel Job', href: `${url}/cancel${suffix}` }],
    form: {
      action: `${url}/delete`,
      method: 'POST',
      submitLabel: 'Delete Job (POST)',
      fields: [{ name: 'f', type: 'hidden', value: 'html' }, ...(token ? [{ name: 'token', type: 'hidden' as const, value: token }] : [])],
    },
  };
}
