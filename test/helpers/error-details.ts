import { ApiError } from '../../src/errors.js';

/** For tests: the details of the ApiError `run` throws ('' when it throws none). */
export function detailsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.details.join(' ');
    throw error;
  }
  return '';
}
