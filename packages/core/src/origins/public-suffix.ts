/**
 * A deliberately small public-suffix check for `*.` patterns, with no dependency on the full Public Suffix List:
 * every single-label suffix (`*.com`, `*.dev`) plus the multi-label suffixes where people most often deploy
 * front ends (shared hosting where any stranger can get a subdomain). A pattern on one of these lets any customer
 * of that host read credentialed responses.
 */
const SHARED_HOSTING_SUFFIXES: ReadonlySet<string> = new Set([
  'github.io', 'gitlab.io', 'pages.dev', 'workers.dev', 'vercel.app', 'now.sh', 'netlify.app', 'netlify.com',
  'herokuapp.com', 'herokudns.com', 'web.app', 'firebaseapp.com', 'appspot.com', 'azurewebsites.net',
  'azurestaticapps.net', 'cloudfront.net', 'amazonaws.com', 's3.amazonaws.com', 'elasticbeanstalk.com',
  'onrender.com', 'fly.dev', 'glitch.me', 'repl.co', 'replit.dev', 'ngrok.io', 'ngrok-free.app', 'ngrok.app',
  'blogspot.com', 'wordpress.com', 'surge.sh', 'railway.app', 'up.railway.app', 'deno.dev', 'codesandbox.io',
  'csb.app', 'stackblitz.io', 'webcontainer.io', 'bitbucket.io', 'pythonanywhere.com', 'fastly.net',
  'trycloudflare.com', 'loca.lt', 'localtunnel.me',
  // Common second-level country registries.
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.jp', 'ne.jp', 'or.jp', 'co.nz',
  'co.za', 'com.br', 'com.cn', 'com.mx', 'com.tr', 'co.in', 'co.kr', 'com.sg', 'com.hk', 'com.tw',
]);

/** `suffix` is the part after `*.` (`example.com`, `github.io`). */
export function isPublicSuffix(suffix: string): boolean {
  return !suffix.includes('.') || SHARED_HOSTING_SUFFIXES.has(suffix);
}
