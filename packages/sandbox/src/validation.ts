// The validation entry point lives in validation/ (one file per API area); kept for importers.
export * from './validation/index.js';
