import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service.js';
import { loadConfig, type Config } from './config.js';
import type { AppContext } from './context.js';
import { ensureRealDemo } from './demo/real-demo.js';
import { ensureDemoFeatures } from './features/demo.js';
import { ensureDemoImagery } from './imagery/demo.js';
import { buildApp, type RoutePlugin } from './app.js';
import type { GPServiceSpec } from './jobs/gp-registry.js';
import { startJobs, type JobTimings } from './jobs/start-jobs.js';
import { createLogger } from './logger.js';
import { limitGdalCache } from './raster/gdal-cache.js';
import { datasetPool } from './imagery/render/dataset-pool.js';
import { renderSlots } from './imagery/render/render-slots.js';
import { releaseWhenIdle } from './imagery/render/release-when-idle.js';
import { openStores } from './store/index.js';
import { addressPolicy } from './net/public-address.js';
import { guardGdalEgress } from './raster/gdal-egress.js';
import { addSelfOrigins } from './net/self-requests.js';
import { warmFormBodyThreads } from './http/form-body.js';
import { warmGeometryThreads } from './geometry/decode-off-thread.js';
import { GP_SERVICES } from './tasks/index.js';

export interface RunningServer {
  app: FastifyInstance;
  context: AppContext;
  /** e.g. `http://127.0.0.1:6080/arcgis` */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: Partial<Config>;
  logger?: Logger;
  /** Called once with the first administrator's generated password (print it, once). */
  onAdminCreated?: (username: string, password: string) => void;
  /** One-line notices for the person who started the server (e.g. the demo could not be fetched). */
  onNotice?: (line: string) => void;
  extraRoutes?: RoutePlugin[];
  /** GP services besides the built-in ones (test fixtures), and job timings to shorten. */
  jobs?: { services?: GPServiceSpec[]; timings?: Partial<JobTimings> };
  /**
   * Start the worker threads (large forms, large geometries, spatial reads) once listening, so the
   * first heavy request does not wait for them: some 0.7 s of CPU each; and the job workers, with
   * every task's code imported. Default on; test servers, many per run, leave them to first use.
   */
  warmThreads?: boolean;
}

/** Opens the stores, ensures an administrator, and listens. Used by the CLI and by the tests. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.config as never);
  const logger = options.logger ?? createLogger(config.logLevel);
  // Before any job worker is forked: each is handed GDAL's proxy as it starts.
  await guardGdalEgress(addressPolicy(config.allowPrivateUrls, config.privateUrlHosts));
  limitGdalCache(config.raster.gdalCacheMB);
  datasetPool.setLimits(config.raster.openRastersPerFile, config.raster.openRasters);
  renderSlots.setLimit(config.raster.renderConcurrency);
  const stopReleasing = releaseWhenIdle({
    quietSeconds: config.raster.idleReleaseSeconds,
    keptHandles: config.raster.idleOpenRasters,
    surplusQuietSeconds: config.raster.surplusQuietSeconds,
  });
  const stores = await openStores(config);
  const auth = await AuthService.create(stores, config, logger);
  const created = await auth.ensureAdministrator();
  if (created?.password) options.onAdminCreated?.(created.username, created.password);
  const context: AppContext = { config, stores, auth, logger, itemHooks: [], onClose: [stopReleasing] };
  context.jobs = await startJobs(context, [...GP_SERVICES, ...(options.jobs?.services ?? [])], options.jobs?.timings);
  const app = await buildApp(context, options.extraRoutes);
  await app.listen({ port: config.port, host: config.host });
  if (options.warmThreads !== false) {
    warmFormBodyThreads();
    warmGeometryThreads();
    stores.features.warm?.();
    context.jobs.warmWorkers();
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // GDAL's reads of this server's own image services are marked as such (self-requests.ts).
  context.onClose.push(addSelfOrigins(config.host, port, config.publicUrl || undefined));
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  await ensureDemoFeatures(context, `http://${host}:${port}${config.basePath}`);
  await ensureDemoImagery(context, `http://${host}:${port}${config.basePath}`);
  const realDemo = ensureRealDemo(context, `http://${host}:${port}${config.basePath}`, options.onNotice ?? ((line) => logger.warn(line)))
    .catch((err: unknown) => logger.error({ err }, 'the demo content could not be made'));
  context.onClose.push(() => realDemo);
  return {
    app,
    context,
    url: `http://${host}:${port}${config.basePath}`,
    close: async () => {
      await app.close();
      for (const close of context.onClose.reverse()) await close();
      await stores.close();
    },
  };
}
