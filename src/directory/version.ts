/** The ArcGIS Server version we answer as; clients compare it numerically to enable features. */
export const CURRENT_VERSION = 11.3;
export const FULL_VERSION = '11.3.0';
