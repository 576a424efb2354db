/**
 * `valgrind --tool=callgrind node src/guard-cost.js <none|guard> [n]`: the response guard's own cost, in process.
 * Makes n Node ServerResponses and writes their head the way Fastify does (`writeHead(200, replyHeaders)`), with
 * polycors' guard on each or not; the difference of the two runs' instruction counts, over n, is the guard's cost
 * per response (install + settle).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { createCorsPolicy, guardResponseHeaders } from '@polycors/core';
import { polycorsOptions } from './workloads.js';

const [variant = 'guard', n = '20000'] = process.argv.slice(2);
const policy = createCorsPolicy(polycorsOptions('small'));
const origin = 'https://app.example.com';
const decision = policy.evaluate({ method: 'GET', origin });
const onConflict = () => {};
const request = new IncomingMessage(new Socket());
let sink = 0;
for (let i = 0; i < Number(n); i++) {
  const res = new ServerResponse(request);
  const headers = { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin', 'content-type': 'application/json; charset=utf-8', 'content-length': '17' };
  if (variant === 'guard') guardResponseHeaders(res, decision, onConflict);
  res.writeHead(200, headers);
  sink += res._header.length;
}
console.log(variant, n, sink);
