/**
 * `SET a = ?, b = ?` and its values from a column → value map, skipping undefined values
 * (a patch only changes what it names). Column names come from code, never from requests.
 */
export function updateColumns(columns: Record<string, unknown>): { set: string; values: unknown[] } | undefined {
  const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return undefined;
  return { set: entries.map(([column]) => `${column} = ?`).join(', '), values: entries.map(([, value]) => value) };
}
