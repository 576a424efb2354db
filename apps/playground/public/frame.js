// @ts-check
/**
 * Runs in a frame on the untrusted origin. The playground page posts it a request; it sends the request from here
 * (so the browser sends this frame's Origin) and posts back what it could see. It only obeys its parent's origin.
 */
import { perform } from './fetcher.js';

const parentOrigin = new URL(location.href).searchParams.get('parent');

window.addEventListener('message', async (event) => {
  if (event.origin !== parentOrigin || event.source !== window.parent) return;
  const { id, step } = event.data ?? {};
  if (typeof id !== 'string' || typeof step?.url !== 'string') return;
  const result = await perform(step);
  window.parent.postMessage({ id, result }, parentOrigin);
});

if (parentOrigin) window.parent.postMessage({ ready: true }, parentOrigin);
