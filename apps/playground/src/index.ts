export { apisFromEnv, startPlayground, PUBLIC_FILES } from './server.js';
export type { PlaygroundApi, PlaygroundConfig, PlaygroundOptions, RunningPlayground } from './server.js';
