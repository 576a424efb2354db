export { runDoctor, type DoctorOptions, type DoctorReport, type DoctorStep } from './doctor.js';
export { runCheck, loadCorsOptions, ConfigLoadError, type CheckReport, type CheckedProblem } from './check.js';
export { fixFor, type Fix, type FixInput } from './fixes.js';
export { NetworkError, type NetworkErrorKind } from './http.js';
export { main, EXIT_OK, EXIT_BLOCKED, EXIT_ERROR, USAGE, VERSION } from './main.js';
export { formatDoctor, formatCheck } from './output.js';
