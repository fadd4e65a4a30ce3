export { compileWhere } from './compile-where.js';
export { WhereClauseError } from './where-clause-error.js';
export type { CompiledWhere, WhereDialect, WhereField, WhereOptions } from './where-types.js';
