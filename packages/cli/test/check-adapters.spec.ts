import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { type CorsConfigProblem, CorsConfigError } from '@polycors/core';
import { polycors } from '@polycors/fastify';
import { cors } from '@polycors/koa';
import { CorsModule } from '@polycors/nestjs';
import Fastify from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBin } from './run-bin.js';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
const load = async (name: string) => ((await import(fixture(name))) as { default: Record<string, unknown> }).default;

/** What each adapter itself throws for these options, at startup, as a user would see it. */
async function adapterProblems(adapter: string, options: Record<string, unknown>): Promise<readonly CorsConfigProblem[]> {
  try {
    if (adapter === 'fastify') {
      const app = Fastify({ logger: false });
      try {
        await app.register(polycors, { ...options, logger: false });
        await app.ready();
      } finally {
        await app.close();
      }
    } else if (adapter === 'koa') {
      cors({ ...options, logger: false });
    } else {
      @Module({ imports: [CorsModule.forRoot({ ...options, logger: false })] })
      class AppModule {}
      const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false, abortOnError: false });
      try {
        await app.init(); // policies compile when the application starts
      } finally {
        await app.close();
      }
    }
  } catch (error) {
    if (error instanceof CorsConfigError) return error.problems;
    throw error;
  }
  return [];
}

interface Report {
  ok: boolean;
  adapter: string;
  adapterFrom: string;
  problems: (CorsConfigProblem & { severity: string })[];
}

const check = async (args: string[]) => {
  const result = await runBin(['check', ...args, '--json']);
  return { code: result.code, stderr: result.stderr, report: (result.stdout ? JSON.parse(result.stdout) : undefined) as Report };
};

describe.each([
  ['fastify', 'hook, cacheControl, strictPreflight, logLevel, hideOptionsRoute, refusalLogLevel, preflight', ['hook', 'cacheControl', 'strictPreflight', 'logLevel']],
  ['koa', 'allowMethods, allowHeaders, exposeHeaders, a string maxAge, keepHeadersOnError, secureContext', ['allowMethods', 'exposeHeaders', 'keepHeadersOnError']],
  ['nestjs', 'logRefusals', ['logRefusals']],
])('polycors check --adapter %s', (adapter, accepted, unknownToCore) => {
  it(`accepts what the adapter accepts (${accepted}), which core alone rejects`, async () => {
    const options = await load(`${adapter}-valid.ts`);
    expect(await adapterProblems(adapter, options)).toEqual([]);
    const { code, report } = await check([fixture(`${adapter}-valid.ts`), '--adapter', adapter]);
    expect(report).toMatchObject({ ok: true, adapter, adapterFrom: 'option', problems: [] });
    expect(code).toBe(0);
    const core = await check([fixture(`${adapter}-valid.ts`), '--adapter', 'core']);
    expect(core.code).toBe(1);
    for (const key of unknownToCore) expect(core.report.problems).toContainEqual(expect.objectContaining({ path: key, code: 'option-unknown' }));
  });

  it('still rejects real problems, with the messages the adapter throws at startup', async () => {
    const options = await load(`${adapter}-invalid.ts`);
    const thrown = await adapterProblems(adapter, options);
    expect(thrown.length).toBeGreaterThan(0);
    const { code, report } = await check([fixture(`${adapter}-invalid.ts`), '--adapter', adapter]);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    for (const problem of thrown) {
      // Adapters prefix paths with where the options sit ("cors() › allowMethods"); check reports one file's options.
      const match = report.problems.find((p) => p.code === problem.code && p.message === problem.message && problem.path.endsWith(p.path));
      expect(match).toMatchObject({ severity: 'error' });
    }
  });
});

describe('polycors check --adapter express', () => {
  it('accepts the cors package option names', async () => {
    const { code, report } = await check([fixture('express-valid.json'), '--adapter', 'express']);
    expect(report).toMatchObject({ ok: true, adapter: 'express', problems: [] });
    expect(code).toBe(0);
  });

  it('rejects real problems', async () => {
    const { code, report } = await check([fixture('express-invalid.json'), '--adapter', 'express']);
    expect(code).toBe(1);
    expect(report.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['options-success-status', 'exposed-headers-set-cookie']));
  });
});

describe('polycors check: which adapter', () => {
  const project = async (dependencies: Record<string, string>, options: object) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'polycors-check-'));
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies }));
    await writeFile(path.join(dir, 'cors.json'), JSON.stringify(options));
    return dir;
  };

  it('finds the adapter in the nearest package.json', async () => {
    const dir = await project({ '@polycors/koa': '^0.1.0', koa: '^3.0.0' }, { origin: ['https://app.example.com'], allowMethods: ['GET'], maxAge: '60' });
    try {
      const { code, report } = await check([path.join(dir, 'cors.json')]);
      expect(report).toMatchObject({ ok: true, adapter: 'koa', adapterFrom: 'package.json' });
      expect(code).toBe(0);
      const text = await runBin(['check', path.join(dir, 'cors.json')]);
      expect(text.stdout).toContain('(JSON, as @polycors/koa reads it; adapter found in package.json)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('asks which one when package.json names several', async () => {
    const dir = await project({ '@polycors/koa': '^0.1.0', '@polycors/fastify': '^0.1.0' }, { origin: ['https://app.example.com'] });
    try {
      const { code, stderr } = await runBin(['check', path.join(dir, 'cors.json')]);
      expect(code).toBe(2);
      expect(stderr).toContain('names several polycors adapters (fastify, koa): say which reads this file with --adapter fastify|koa');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks with core when no package.json names an adapter, and rejects an unknown --adapter', async () => {
    expect((await check([fixture('fastify-valid.ts')])).report).toMatchObject({ ok: false, adapter: 'core', adapterFrom: 'default' });
    const { code, stderr } = await runBin(['check', fixture('good.json'), '--adapter', 'hapi']);
    expect(code).toBe(2);
    expect(stderr).toContain("--adapter 'hapi': expected one of core, fastify, koa, nestjs, express");
  });
});
