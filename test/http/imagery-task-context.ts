import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { makePrincipal } from '../../src/auth/principal.js';
import type { TaskContext, TaskDefinition } from '../../src/jobs/task.js';
import type { TestServer } from '../helpers/test-server.js';

export interface RecordedContext extends TaskContext {
  messages: Array<{ level: 'info' | 'warning'; text: string }>;
  controller: AbortController;
}

/**
 * A TaskContext made by hand over a test server's stores, for running a task's `execute` and
 * `rollback` directly (as the job worker does) and reading the messages it wrote.
 */
export function makeTaskContext(server: TestServer, inputs: Record<string, unknown>, username = 'admin'): RecordedContext {
  const jobId = `j${randomUUID().replace(/-/g, '')}`;
  const scratchDir = path.join(server.dataDir, 'jobs-test', jobId);
  mkdirSync(scratchDir, { recursive: true });
  const controller = new AbortController();
  const messages: RecordedContext['messages'] = [];
  return {
    jobId,
    principal: makePrincipal(username, username === 'admin' ? 'administrator' : 'publisher', 'header'),
    inputs,
    scratchDir,
    signal: controller.signal,
    baseUrl: server.url,
    config: server.context.config,
    stores: server.context.stores,
    info: (text) => messages.push({ level: 'info', text }),
    warning: (text) => messages.push({ level: 'warning', text }),
    progress: () => undefined,
    messages,
    controller,
  };
}

/** Runs a task as the worker would: execute, and on failure rollback; returns the outcome. */
export async function runTask(task: TaskDefinition, context: RecordedContext): Promise<{ results?: Record<string, unknown>; error?: Error }> {
  try {
    return { results: await task.execute(context) };
  } catch (error) {
    const { signal: _signal, progress: _progress, ...rest } = context;
    await task.rollback?.(rest);
    return { error: error as Error };
  }
}
