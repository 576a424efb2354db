import { describe, expect, it } from '@jest/globals';
import { mergeCorsOptions } from './merge.js';

const global = { origin: ['https://app.example.com'], credentials: true, exposedHeaders: ['x-request-id'] };

describe('mergeCorsOptions', () => {
  it('unites lists and lets the more specific layer override scalars (inherit: true)', () => {
    expect(mergeCorsOptions(global, { origin: 'https://admin.example.com', exposedHeaders: ['x-list-version'], maxAge: 300 })).toEqual({
      origin: ['https://app.example.com', 'https://admin.example.com'],
      credentials: true,
      exposedHeaders: ['x-request-id', 'x-list-version'],
      maxAge: 300,
    });
  });

  it("lets '*' absorb the rest of a list, but keeps authorization which '*' does not cover", () => {
    expect(mergeCorsOptions({ origin: 'https://a.com', allowedHeaders: ['authorization', 'x-a'] }, { allowedHeaders: '*' })).toEqual({
      origin: 'https://a.com',
      allowedHeaders: ['*', 'authorization'],
    });
    expect(mergeCorsOptions(global, { origin: '*' })).toMatchObject({ origin: '*' });
  });

  it('replaces everything above with inherit: false', () => {
    expect(mergeCorsOptions(global, { origin: '*', credentials: false, inherit: false, exposedHeaders: ['x-list-version'] })).toEqual({
      origin: '*',
      credentials: false,
      exposedHeaders: ['x-list-version'],
    });
  });

  it('keeps how polycors runs (logger, onRefusal, strict, debug) under inherit: false unless the layer sets it', () => {
    const logger = { warn: () => {}, error: () => {} };
    const onRefusal = () => {};
    const base = { origin: 'https://a.com', credentials: true, logger, onRefusal, strict: false, debug: true };
    expect(mergeCorsOptions(base, { origin: '*', inherit: false })).toEqual({ origin: '*', logger, onRefusal, strict: false, debug: true });
    expect(mergeCorsOptions(base, { origin: '*', inherit: false, strict: true })).toMatchObject({ strict: true });
  });

  it('turns CORS off with false', () => {
    expect(mergeCorsOptions(global, false)).toBe(false);
  });

  it('lets a handler opt back in under a controller that opted out, merging with the global layer', () => {
    expect(mergeCorsOptions(global, false, { maxAge: 60 })).toEqual({ ...global, maxAge: 60 });
  });

  it('applies layers in order: global, controller, handler', () => {
    const merged = mergeCorsOptions({ origin: 'https://a.com' }, { methods: ['GET'] }, { methods: ['PATCH'], maxAge: 10 }, undefined);
    expect(merged).toEqual({ origin: 'https://a.com', methods: ['GET', 'PATCH'], maxAge: 10 });
  });

  it('does not unite the same RegExp or function twice and leaves its inputs untouched', () => {
    const regexp = /^https:\/\/a\.com$/;
    const base = { origin: [regexp] };
    expect(mergeCorsOptions(base, { origin: /^https:\/\/a\.com$/ })).toEqual({ origin: regexp });
    expect(base).toEqual({ origin: [regexp] });
  });
});
