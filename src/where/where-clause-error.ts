/**
 * A where clause we refuse to run. The message is written for API clients: it names the
 * problem ("Invalid field: FOO", "Comments are not allowed") and never carries SQL we generated.
 * Callers map it to the ArcGIS 400 envelope (`'where' parameter is invalid`).
 *
 * @example throw new WhereClauseError('Invalid field: FOO');
 */
export class WhereClauseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WhereClauseError';
  }
}
