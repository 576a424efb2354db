/**
 * @fastify/cors 11.4.3 tests that fail against @polycors/fastify on purpose, with the reason.
 * Keep in step with the README's "Migrating from @fastify/cors" section (run.mjs fails when a listed test passes).
 */
const VARY_METHOD = "lists are written as @fastify/cors writes them (strict: false), but a preflight answer also names Access-Control-Request-Method in Vary (Vary: Access-Control-Request-Method, Access-Control-Request-Headers): polycors answers a method it does not allow with a 403, so without it a cache set to store OPTIONS responses (a CDN rule) could serve one visitor's refused answer to every preflight of the URL";
const NO_ORIGIN = 'a request without Origin is not a CORS request and gets no CORS headers (only Vary: Origin); @fastify/cors sent its fixed origin to every request';
const FAIL_CLOSED = 'an origin function that throws, rejects or gives an unusable answer refuses the request (fail closed) and logs the error; the request still reaches the app, which answers as usual (here 404/200) instead of a 500';

const SERIALISED = "Access-Control-Allow-Origin only ever carries a serialised origin (scheme://host[:port], as browsers send it), '*' or 'null': an Origin such as 'example.com' or 'https://www.example.com/' is refused whatever a rule or function says, and no browser sends one";

export const DELIBERATE_DIFFERENCES = {
  'cors.test.js': {
    'Should add cors headers (custom values)': 'Access-Control-Expose-Headers is sent on actual responses only (the Fetch Standard ignores it on preflights); also ' + NO_ORIGIN,
    'Should support dynamic config (callback)': NO_ORIGIN,
    'Should support dynamic config (Promise)': NO_ORIGIN,
    'Dynamic origin resolution (valid origin)': SERIALISED,
    'Dynamic origin resolution (valid origin - promises)': SERIALISED,
    'Allow only request from multiple specific origin': SERIALISED,
    'Allow only request from a specific origin using regex': SERIALISED,
    'Should always add vary header to `Origin` for reflected origin': `${SERIALISED}; also, a preflight answer lists Access-Control-Request-Method in Vary (Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers): whether it is allowed, and what it lists, depends on the requested method`,
    'Dynamic origin resolution (errored)': FAIL_CLOSED,
    'Dynamic origin resolution (invalid result)': FAIL_CLOSED,
    'Dynamic origin resolution (errored - promises)': FAIL_CLOSED,
    'Server error if origin option is falsy but not false': "origin: '' is a configuration problem reported at startup (a warning with strict: false) and allows nothing, instead of a 500 on every request",
    'Allow only request from a specific origin': "Access-Control-Allow-Origin is always the request's own origin or '*': a fixed origin is never sent to a different origin",
    'Should not run origin function or add vary header when route disables CORS (callback origin)': `the cors: false part passes; the last assertion expects a 500 from the enabled route: ${FAIL_CLOSED}`,
    'Should not run origin function or add vary header when route disables CORS (promise origin)': `the cors: false part passes; the last assertion expects a 500 from the enabled route: ${FAIL_CLOSED}`,
  },
  'preflight.test.js': {
    'Should reply to preflight requests': VARY_METHOD,
    'Should add access-control-allow-headers to response if preflight req has access-control-request-headers': VARY_METHOD,
    'Should reply to preflight requests with custom status code': VARY_METHOD,
    'Should reply to all options requests': VARY_METHOD,
    'Should support a prefix for preflight requests': VARY_METHOD,
    'Should reply to all preflight requests when strictPreflight is disabled': 'an OPTIONS request without Origin and Access-Control-Request-Method is not a preflight: with strictPreflight: false it gets the 404 an app without CORS would give, not a preflight answer',
    'Default empty 200 response with preflightContinue on OPTIONS routes': VARY_METHOD,
    'Can override preflight response with preflightContinue': VARY_METHOD,
    'Should support ongoing prefix ': VARY_METHOD,
  },
};
