import type { Principal } from '../auth/principal.js';
import { Params } from '../params.js';
import type { CatalogReader } from '../store/catalog-version.js';

/** A file part of a multipart request, already streamed to a temporary file. */
export interface UploadedFile {
  field: string;
  /** The client's file name, untrusted: sanitise before using it in a path. */
  fileName: string;
  mimeType: string;
  path: string;
  size: number;
}

/** What the http layer decoded from a request, for handlers to read. */
export interface RequestState {
  params: Params;
  /** Null for anonymous requests. */
  principal: Principal | null;
  uploads: UploadedFile[];
  /** Parameter names that arrived in the body (the admin API wants its token there). */
  bodyKeys: Set<string>;
  /** Aborted when the client goes away before its answer is sent; handlers pass it to store calls. */
  signal: AbortSignal;
  /** The catalog version for this request's cached look-ups (token user, service): read once. */
  catalog?: CatalogReader;
  /** Resolves the request's token again (set by decodeRequest): after a speculative catalog version proved wrong. */
  reauthenticate?: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    arcgis: RequestState;
  }
  interface FastifyContextConfig {
    /** `f` when the request names none: 'html' where the documents say "The default response format is html". */
    defaultFormat?: 'html';
    /**
     * Read-only routes that redo their work when the catalog moved (see confirmedRead): their
     * requests take the catalog version this process read last and confirm it concurrently.
     */
    speculativeCatalog?: boolean;
  }
}

export function emptyRequestState(signal: AbortSignal = new AbortController().signal, catalog?: CatalogReader): RequestState {
  return { params: new Params(), principal: null, uploads: [], bodyKeys: new Set(), signal, ...(catalog ? { catalog } : {}) };
}
