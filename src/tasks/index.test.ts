import { describe, expect, it } from 'vitest';
import { GP_SERVICES } from './index.js';

describe('GP_SERVICES', () => {
  it('names, for every task, the module and export a job worker imports it from', async () => {
    const tasks = GP_SERVICES.flatMap((service) => service.tasks);
    expect(tasks.length).toBeGreaterThan(20);
    for (const ref of tasks) {
      // A task whose file is not named after its export would fail here, not in a worker.
      const module = (await import(ref.module)) as Record<string, unknown>;
      expect(module[ref.exportName], ref.module).toBe(ref.definition);
    }
  });
});
