// The temporary applications: copied from ../apps/<name>, given a package.json, installed from the tarballs.
// Each declares which commands type-check it and which entry points start servers.
export const SERVED_PATH = '/orders';
export const ALLOWED_ORIGIN = 'https://app.example.com';
export const REFUSED_ORIGIN = 'https://evil.example.net';

/** Registry dependencies every application installs, at the workspace's own versions (see lockfile.mjs). */
export const REGISTRY_DEPENDENCIES = [
  'express',
  'fastify',
  'koa',
  '@koa/router',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'reflect-metadata',
  'rxjs',
  'typescript',
  '@types/node',
  '@types/koa',
  '@types/express',
];

export const APPS = [
  {
    name: 'esm-ts',
    type: 'module',
    typecheck: [['tsc', '-p', 'tsconfig.json']],
    entries: ['dist/main.js'],
    servers: ['express', 'fastify', 'koa', 'nest-express', 'nest-fastify'],
  },
  {
    name: 'cjs-js',
    type: 'commonjs',
    typecheck: [],
    entries: ['main.js'],
    servers: ['express', 'fastify', 'koa', 'nest-express', 'nest-fastify'],
  },
  {
    name: 'cjs-ts',
    type: 'commonjs',
    typecheck: [
      ['tsc', '-p', 'tsconfig.json'],
      ['tsc', '-p', 'tsconfig.nest.json'],
    ],
    entries: ['dist/main.js', 'dist/nest.js'],
    servers: ['express', 'fastify', 'koa', 'nest-express', 'nest-fastify'],
  },
];

/** Loads every packed package both ways, so a new package is smoke-tested in every application unasked. */
export function loadEverySource(names) {
  return `// Generated: require() and import() every packed package; prints one line per package.
const names = ${JSON.stringify(names)};
(async () => {
  for (const name of names) {
    const required = require(name);
    const imported = await import(name);
    const exported = Object.keys(imported).filter((key) => key !== 'default' && key !== 'module.exports');
    // Identity, except the callable a package may hand to require() (@polycors/koa's cors), which wraps its export.
    const missing = exported.filter((key) => required[key] !== imported[key] && required[key] !== required);
    if (exported.length === 0 || missing.length) throw new Error(name + ': require() lacks ' + missing.join(', '));
    console.log(name + ': ' + exported.length + ' exports, the same objects through require() and import');
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}
