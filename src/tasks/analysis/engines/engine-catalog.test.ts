import { afterEach, describe, expect, it } from 'vitest';
import { TaskError } from '../../../jobs/task.js';
import { findProgram, requireEngine } from './engine-catalog.js';

describe('requireEngine', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('finds installed engines on PATH', () => {
    expect(findProgram('sh')).toMatch(/\/sh$/);
    expect(findProgram('no-such-engine-here')).toBeUndefined();
  });

  it.each([
    ['grass', 'grass-core'],
    ['saga', 'saga'],
    ['otb', 'otb-bin'],
  ] as const)('fails a task plainly when %s is missing, naming the Debian package %s', (engine, debianPackage) => {
    process.env.PATH = '/nonexistent';
    let error: unknown;
    try {
      requireEngine(engine, 'Fill');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).message).toContain(`install the Debian package '${debianPackage}'`);
    expect((error as Error).message).toMatch(/^Fill needs /);
  });
});
