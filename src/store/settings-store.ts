/** Small server-wide values (the token signing key, the demo-content marker). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}
