import type { FastifyRequest } from 'fastify';

/**
 * Runs the work of a read-only request whose route speculates on the catalog version
 * (`config.speculativeCatalog`, see store/catalog-version.ts), then confirms the version before
 * the request answers — its result or its error (a 403 or 404 may come of a stale look-up as
 * well). When the catalog had moved, the token is resolved again and the work done again with the
 * committed version. The work must not write anything nor send the reply: it returns what
 * sends it.
 */
export async function confirmedRead<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> {
  const state = request.arcgis;
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (!state.catalog || (await state.catalog.confirm())) throw error;
    return redo(request, work);
  }
  if (!state.catalog || (await state.catalog.confirm())) return result;
  return redo(request, work);
}

async function redo<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> {
  const state = request.arcgis;
  if (state.reauthenticate) {
    state.principal = null;
    await state.reauthenticate();
  }
  return work();
}
