// The decorator lives in common/audit (shared machinery); this re-export keeps the transports'
// imports working until they next change.
export { Audited } from '../../common/audit/audited.decorator.js';
