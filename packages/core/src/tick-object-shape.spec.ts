import { executionAsyncResource } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { createCorsPolicy } from './policy.js';
import { heldTickObject } from './tick-object-shape.js';

setFlagsFromString('--allow-natives-syntax');
setFlagsFromString('--expose-gc');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const fullGc = runInNewContext('gc') as () => void;

const nextTask = () => new Promise<object>((resolve) => process.nextTick(() => resolve(executionAsyncResource())));

describe('keepTickObjectShape', () => {
  it('holds a process.nextTick task object once a policy is compiled', async () => {
    createCorsPolicy({ origin: 'https://app.example', logger: false });
    await nextTask();
    const held = heldTickObject();
    expect(held).toBeDefined();
    expect(Object.keys(held as object)).toEqual(['callback', 'args']);
  });

  it('keeps the tasks hidden class across a full GC, so new tasks share it', async () => {
    createCorsPolicy({ origin: 'https://app.example', logger: false });
    await nextTask();
    fullGc();
    fullGc();
    const fresh = await nextTask();
    expect(haveSameMap(heldTickObject() as object, fresh)).toBe(true);
  });
});
