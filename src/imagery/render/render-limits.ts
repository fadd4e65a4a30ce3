/**
 * Limits the ImageServer advertises and enforces (ArcGIS Image Service resource; the same
 * figures as the service JSON's maxImageWidth, maxImageHeight, maxMosaicImageCount, maxDownload…).
 */
export const RENDER_LIMITS = {
  maxImageWidth: 15000,
  maxImageHeight: 4100,
  maxMosaicImageCount: 20,
  maxDownloadImageCount: 20,
  /** Megabytes. */
  maxDownloadSizeLimit: 2048,
  /** getSamples: sample locations per request. */
  maxSampleCount: 1000,
} as const;
