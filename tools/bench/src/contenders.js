/**
 * Frameworks and their contenders. `role` says how a contender is compared: the ceiling (`none`), the incumbent
 * (what users of that framework run today), and polycors. Express has no polycors adapter: polycors reaches
 * Express through Nest's express adapter.
 */
export const FRAMEWORKS = Object.freeze([
  {
    id: 'express',
    title: 'Express 5',
    contenders: [
      { id: 'none', role: 'none' },
      { id: 'cors', role: 'incumbent' },
    ],
  },
  {
    id: 'fastify',
    title: 'Fastify 5',
    contenders: [
      { id: 'none', role: 'none' },
      { id: '@fastify/cors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/fastify' },
    ],
  },
  {
    id: 'koa',
    title: 'Koa 3 + @koa/router',
    contenders: [
      { id: 'none', role: 'none' },
      { id: '@koa/cors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/koa' },
    ],
  },
  {
    id: 'nest-express',
    title: 'NestJS 12 (express adapter)',
    contenders: [
      { id: 'none', role: 'none' },
      { id: 'enableCors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/nestjs' },
    ],
  },
  {
    id: 'nest-fastify',
    title: 'NestJS 12 (fastify adapter)',
    contenders: [
      { id: 'none', role: 'none' },
      { id: 'enableCors', role: 'incumbent' },
      { id: 'polycors', role: 'polycors', package: '@polycors/nestjs' },
    ],
  },
]);
