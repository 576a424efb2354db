/**
 * What a demo API saw, read from its `GET /__stats` (DEMO_STATS=1) by the suite itself (plain Node fetch, no Origin).
 * All three demos serve the one format of @polycors/demo-kit. Every case tags its URLs with `?run=<id>`, so the
 * requests of one case are found by that tag.
 */
import type { SeenRequest, StatsSnapshot } from '@polycors/demo-kit';

export type { SeenRequest, StatsSnapshot } from '@polycors/demo-kit';

function runOf(url: string): string | null {
  return new URL(url, 'http://x').searchParams.get('run');
}

export async function readStats(api: string): Promise<StatsSnapshot> {
  const response = await fetch(`${api}/__stats`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`polycors e2e: ${api}/__stats answered ${response.status}; start the demo with DEMO_STATS=1`);
  return (await response.json()) as StatsSnapshot;
}

/** The requests of one run tag, in arrival order. */
export async function seenFor(api: string, run: string): Promise<SeenRequest[]> {
  const stats = await readStats(api);
  return stats.requests.filter((request) => runOf(request.url) === run);
}

/** The requests of a run and of its sub-tags (`<run>.<tag>`), in arrival order. */
export async function seenForRunAndTags(api: string, run: string): Promise<SeenRequest[]> {
  const stats = await readStats(api);
  return stats.requests.filter((request) => {
    const tag = runOf(request.url);
    return tag === run || (tag !== null && tag.startsWith(`${run}.`));
  });
}
