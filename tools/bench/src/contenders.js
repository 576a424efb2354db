/**
 * Frameworks and their contenders. `role` says how a contender is compared: the ceiling (`none`), the incumbent
 * (what users of that framework run today), and polycors.
 * Each framework also runs a second, identical no-CORS process on the first workload (`control`): the spread
 * between two identical servers in the same run is the noise floor every other ratio should be read against;
 * and `headers only` (role `floor`), which sets an allowed request's CORS headers without checking anything.
 */
const control = { id: 'none (2nd process)', role: 'control', server: 'none', workloads: ['actual'] };
/** What a CORS layer cannot avoid sending, decided by one Set lookup (workloads.js `floorAnswer`): the floor for any CORS library. */
const headersOnly = { id: 'headers only', role: 'floor', workloads: ['actual', 'preflight', 'refused'] };

/** A framework's contenders: no CORS, the noise control, the headers-only floor, its incumbent, and polycors where an adapter exists. */
function framework(id, title, incumbent, polycorsPackage) {
  const contenders = [{ id: 'none', role: 'none' }, control, headersOnly, { id: incumbent, role: 'incumbent' }];
  if (polycorsPackage) contenders.push({ id: 'polycors', role: 'polycors', package: polycorsPackage });
  return { id, title, contenders };
}

export const FRAMEWORKS = Object.freeze([
  framework('express', 'Express 5', 'cors', '@polycors/express'),
  framework('fastify', 'Fastify 5', '@fastify/cors', '@polycors/fastify'),
  framework('koa', 'Koa 3 + @koa/router', '@koa/cors', '@polycors/koa'),
  framework('nest-express', 'NestJS 12 (express adapter)', 'enableCors', '@polycors/nestjs'),
  framework('nest-fastify', 'NestJS 12 (fastify adapter)', 'enableCors', '@polycors/nestjs'),
]);
