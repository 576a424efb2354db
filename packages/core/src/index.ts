export * from './options.js';
export * from './config-error.js';
export * from './policy.js';
export * from './merge.js';
export * from './vary.js';
export * from './classify.js';
export * from './route-table.js';
export * from './browser-check.js';
export { describeOriginFunction, type OriginFunctionShape } from './origins/call-origin-function.js';
