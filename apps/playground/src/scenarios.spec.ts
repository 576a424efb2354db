import { describe, expect, it } from '@jest/globals';
// The page's own module (plain JavaScript served to the browser), judged here with what a demo's /__stats reports.
// @ts-expect-error: public/ holds JavaScript checked by // @ts-check in the browser, not by this project's tsc
import { judge, SCENARIOS } from '../public/scenarios.js';

type Seen = { method: string; url: string; preflight: boolean; cookie: boolean; authorization: boolean; guards: string[]; status?: number };

const scenario = (id: string) => SCENARIOS.find((entry: { id: string }) => entry.id === id);
const request = (fields: Partial<Seen>): Seen => ({ method: 'GET', url: '/x?run=1', preflight: false, cookie: false, authorization: false, guards: [], ...fields });
const allowed = (status: number) => ({ outcome: 'allowed', status, headers: [], body: '' });

describe('the verdict of a playground button, from the /__stats format the demos share', () => {
  it('passes a PATCH with token whose preflight no guard saw', () => {
    const seen = [
      request({ method: 'OPTIONS', preflight: true, status: 204 }),
      request({ method: 'PATCH', authorization: true, guards: ['global', 'auth'], status: 200 }),
    ];
    expect(judge(scenario('patch-token'), allowed(200), seen)).toEqual({ pass: true, notes: [], preflight: true });
  });

  it('fails it when a guard ran for the preflight', () => {
    const seen = [
      request({ method: 'OPTIONS', preflight: true, guards: ['global'], status: 204 }),
      request({ method: 'PATCH', authorization: true, guards: ['global', 'auth'], status: 200 }),
    ];
    expect(judge(scenario('patch-token'), allowed(200), seen)).toMatchObject({ pass: false, notes: ['a guard ran for the preflight'] });
  });

  it('does not take an OPTIONS request that is not a preflight for one', () => {
    const seen = [request({ method: 'OPTIONS', preflight: false }), request({ method: 'GET', guards: ['global'], status: 200 })];
    expect(judge(scenario('simple-get'), allowed(200), seen)).toMatchObject({ preflight: false });
  });
});
