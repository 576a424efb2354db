export { runDoctor, type DoctorOptions, type DoctorReport, type DoctorStep } from './doctor.js';
export { runCheck, loadCorsOptions, ConfigLoadError, type CheckOptions, type CheckReport, type CheckedProblem } from './check.js';
export { fixFor, readPolicy, type Fix, type FixChange, type FixInput, type FixOption, type FixPolicy } from './fixes.js';
export { ADAPTERS, type AdapterName } from './adapters.js';
export { NetworkError, type NetworkErrorKind } from './http.js';
export { main, EXIT_OK, EXIT_BLOCKED, EXIT_ERROR, USAGE, VERSION } from './main.js';
export { formatDoctor, formatCheck } from './output.js';
