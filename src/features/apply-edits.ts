import { ApiError } from '../errors.js';
import type { EditFailureKind, EditResult, FeatureFilter, FeatureStore, LayerEdits } from '../store/feature-store.js';
import { prepareAdd, prepareDelete, prepareUpdate, type EditInputOptions, type Prepared } from './edit-input.js';
import type { LayerModel } from './layer-model.js';

/** One layer's edits as the client sent them (features as parsed JSON, delete keys as given). */
export interface LayerEditRequest {
  model: LayerModel;
  adds?: unknown[];
  updates?: unknown[];
  deletes?: unknown[];
  /** deleteFeatures: where/geometry restricting (or, without deletes, choosing) the rows to delete. */
  deleteFilter?: FeatureFilter;
}

export interface EditOptionsInput extends EditInputOptions {
  rollbackOnFailure: boolean;
}

/** An edit result object as on the wire (the ArcGIS Apply Edits result object). */
export interface EditResultJson {
  objectId?: number;
  globalId?: string;
  success: boolean;
  error?: { code: number; description: string };
}

export interface LayerEditResultJson {
  id: number;
  addResults: EditResultJson[];
  updateResults: EditResultJson[];
  deleteResults: EditResultJson[];
}

export interface AppliedEdits {
  layers: LayerEditResultJson[];
  editMoment: number;
}

type Kind = 'add' | 'update' | 'delete';
const INTERNAL_CODES: Record<Kind, number> = { add: 1017, update: 1019, delete: 1018 };

function failureOf(kind: EditFailureKind, edit: Kind): { code: number; description: string } {
  switch (kind) {
    case 'not-found':
      return { code: 1011, description: 'Object is missing.' };
    case 'duplicate':
      return { code: 1022, description: 'A feature with the same GlobalID already exists.' };
    case 'invalid-geometry':
      return { code: 1015, description: 'Geometry could not be set.' };
    case 'invalid-value':
      return { code: 1016, description: 'Setting of a field value failed.' };
    default:
      return { code: INTERNAL_CODES[edit], description: `Internal error during object ${edit === 'add' ? 'insert' : edit}.` };
  }
}

/** The whole request fails (rollbackOnFailure): the envelope names the first failed edit. */
function rolledBack(description: string): ApiError {
  return new ApiError(400, 'Unable to complete operation.', [description, 'Operation rolled back.']);
}

/**
 * Checks every edit, then applies adds → updates → deletes of all layers in one store
 * transaction. With rollbackOnFailure any failure (found while checking or while writing) fails
 * the request with nothing written; otherwise failures are reported per item and the rest kept.
 */
export async function applyLayerEdits(
  store: FeatureStore,
  dataset: string,
  requests: LayerEditRequest[],
  options: EditOptionsInput,
): Promise<AppliedEdits> {
  const prepared = requests.map((request) => ({
    request,
    adds: (request.adds ?? []).map((f) => prepareAdd(request.model, f, options)),
    updates: (request.updates ?? []).map((f) => prepareUpdate(request.model, f, options)),
    deletes: request.deletes?.map((k) => prepareDelete(request.model, k, options)),
  }));
  if (options.rollbackOnFailure) {
    for (const p of prepared) {
      const failed = [...p.adds, ...p.updates, ...(p.deletes ?? [])].find((item) => !item.ok);
      if (failed && !failed.ok) throw rolledBack(failed.error.message);
    }
  }
  const edits: LayerEdits[] = prepared.map((p) => {
    const layerEdits: LayerEdits = {
      layer: p.request.model.schema,
      adds: valid(p.adds),
      updates: valid(p.updates),
    };
    if (p.deletes) layerEdits.deletes = valid(p.deletes);
    if (p.request.deleteFilter) layerEdits.deleteFilter = p.request.deleteFilter;
    return layerEdits;
  });
  const outcome = await store.applyEdits(dataset, edits, { rollbackOnFailure: options.rollbackOnFailure, useGlobalIds: options.useGlobalIds });
  if (!outcome.committed) {
    const failed = outcome.layers.flatMap((l) => [...l.adds, ...l.updates, ...l.deletes]).find((r) => r.failure);
    throw rolledBack(failed?.failure ? failureOf(failed.failure.kind, 'update').description : 'An edit failed.');
  }
  const layers = prepared.map((p, i) => {
    const stored = outcome.layers[i]!;
    return {
      id: p.request.model.definition.id,
      addResults: merge(p.adds, stored.adds, 'add'),
      updateResults: merge(p.updates, stored.updates, 'update'),
      deleteResults: p.deletes ? merge(p.deletes, stored.deletes, 'delete') : stored.deletes.filter((r) => !r.skipped).map((r) => toJson(r, 'delete')),
    };
  });
  return { layers, editMoment: outcome.editMoment };
}

function valid<T>(items: Prepared<T>[]): T[] {
  return items.flatMap((item) => (item.ok ? [item.value] : []));
}

/** Puts the store's results back among the items that failed before reaching it, in input order. */
function merge<T>(items: Prepared<T>[], stored: EditResult[], kind: Kind): EditResultJson[] {
  const out: EditResultJson[] = [];
  let next = 0;
  for (const item of items) {
    if (!item.ok) {
      const json = {} as EditResultJson;
      if (item.objectId !== undefined) json.objectId = item.objectId;
      if (item.globalId !== undefined) json.globalId = item.globalId;
      json.success = false;
      json.error = { code: item.error.code, description: item.error.message };
      out.push(json);
      continue;
    }
    const result = stored[next++]!;
    // A key excluded by deleteFeatures' where/geometry was not selected: no result for it.
    if (!result.skipped) out.push(toJson(result, kind));
  }
  return out;
}

function toJson(result: EditResult, kind: Kind): EditResultJson {
  const json = {} as EditResultJson;
  if (result.objectId !== undefined) json.objectId = result.objectId;
  if (result.globalId !== undefined) json.globalId = result.globalId;
  json.success = !result.failure;
  if (result.failure) json.error = failureOf(result.failure.kind, kind);
  return json;
}
