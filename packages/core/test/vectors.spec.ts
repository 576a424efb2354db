import { describe, expect, it } from '@jest/globals';
import { CorsConfigError, createCorsPolicy } from '../src/index.js';
import { header, listOf } from './decision-assertions.js';
import { loadConfigErrorVectors, loadRequestVectors } from './vectors.js';

describe('request vectors', () => {
  const vectors = loadRequestVectors();

  it('loads a non-trivial set of vectors', () => {
    expect(vectors.length).toBeGreaterThan(20);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const policy = createCorsPolicy({ ...vector.options, logger: false });
    const decision = await policy.evaluate(vector.request);
    const { expect: want } = vector;
    if (want.kind !== undefined) expect(decision.kind).toBe(want.kind);
    if (want.allowed !== undefined) expect(decision.allowed).toBe(want.allowed);
    if (want.acao !== undefined) expect(header(decision, 'access-control-allow-origin') ?? null).toBe(want.acao);
    if (want.acac !== undefined) expect(header(decision, 'access-control-allow-credentials') === 'true').toBe(want.acac);
    if (want.varyOrigin !== undefined) expect(decision.vary.includes('Origin')).toBe(want.varyOrigin);
    if (want.acamIncludes !== undefined) expect(listOf(header(decision, 'access-control-allow-methods'))).toContain(want.acamIncludes);
    if (want.acahIncludes !== undefined) {
      const allowed = listOf(header(decision, 'access-control-allow-headers')).map((name) => name.toLowerCase());
      for (const name of want.acahIncludes) expect(allowed).toContain(name.toLowerCase());
    }
  });
});

describe('config-error vectors', () => {
  const vectors = loadConfigErrorVectors();

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const build = () => createCorsPolicy({ ...vector.options, logger: false });
    if (vector.error) {
      let thrown: unknown;
      try {
        build();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CorsConfigError);
      expect((thrown as CorsConfigError).problems.length).toBeGreaterThan(0);
      const codes = (thrown as CorsConfigError).problems.map((problem) => problem.code);
      for (const code of vector.codes ?? []) expect(codes).toContain(code);
    } else {
      expect(build).not.toThrow();
    }
  });
});
