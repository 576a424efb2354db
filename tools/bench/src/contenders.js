/**
 * Frameworks and their contenders. `role` says how a contender is compared: the ceiling (`none`), the incumbent
 * (what users of that framework run today), and polycors. Express has no polycors adapter: polycors reaches
 * Express through Nest's express adapter.
 * Each framework also runs a second, identical no-CORS process on the first workload (`control`): the spread
 * between two identical servers in the same run is the noise floor every other ratio should be read against;
 * and `headers only` (role `floor`), which sets an allowed request's CORS headers without checking anything.
 */
const control = { id: 'none (2nd process)', role: 'control', server: 'none', workloads: ['actual'] };
/** The three CORS headers of an allowed request, set with no check at all: the floor for any CORS library. */
const headersOnly = { id: 'headers only', role: 'floor', workloads: ['actual'] };

export const FRAMEWORKS = Object.freeze([
  {
    id: 'express',
    title: 'Express 5',
    contenders: [
      { id: 'none', role: 'none' },
      control,
      headersOnly,
      { id: 'cors', role: 'incumbent' },
    ],
  },
  {
    id: 'fastify',
    title: 'Fastify 5',
    contenders: [
      { id: 'none', role: 'none' },
      control,
      headersOnly,
      { id: '@fastify/cors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/fastify' },
    ],
  },
  {
    id: 'koa',
    title: 'Koa 3 + @koa/router',
    contenders: [
      { id: 'none', role: 'none' },
      control,
      headersOnly,
      { id: '@koa/cors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/koa' },
    ],
  },
  {
    id: 'nest-express',
    title: 'NestJS 12 (express adapter)',
    contenders: [
      { id: 'none', role: 'none' },
      control,
      headersOnly,
      { id: 'enableCors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/nestjs' },
    ],
  },
  {
    id: 'nest-fastify',
    title: 'NestJS 12 (fastify adapter)',
    contenders: [
      { id: 'none', role: 'none' },
      control,
      headersOnly,
      { id: 'enableCors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/nestjs' },
    ],
  },
]);
