// @ts-check
/**
 * One cross-origin request as a page makes it, and what the page could see of the answer.
 * Shared by the playground page and the untrusted frame.
 */

/**
 * @typedef {{ url: string, method?: string, headers?: Record<string, string>, body?: string,
 *   credentials?: RequestCredentials }} Step
 * @typedef {{ outcome: 'allowed', status: number, headers: [string, string][], body: string }
 *   | { outcome: 'blocked', error: string }} StepResult
 */

/** @param {Step} step @returns {Promise<StepResult>} */
export async function perform(step) {
  /** @type {RequestInit} */
  const init = {
    method: step.method ?? 'GET',
    headers: step.headers ?? {},
    credentials: step.credentials ?? 'same-origin',
    mode: 'cors',
    // Not cache: 'no-store': Chromium then bypasses its preflight cache too, and the preflight cache is part of
    // what the demos show (Access-Control-Max-Age). The demo responses carry no caching headers.
  };
  if (step.body !== undefined) init.body = step.body;
  try {
    const response = await fetch(step.url, init);
    // Iterating the headers yields only what CORS lets the page read: the safelisted ones and the exposed ones.
    const headers = /** @type {[string, string][]} */ ([...response.headers]);
    const body = await response.text();
    return { outcome: 'allowed', status: response.status, headers, body };
  } catch (error) {
    // Every CORS failure looks the same to the page: "TypeError: Failed to fetch". The reason is in the console.
    return { outcome: 'blocked', error: String(error) };
  }
}
