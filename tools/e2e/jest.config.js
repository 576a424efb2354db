import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'e2e',
  // Starting four demo servers and Chromium takes a while on 2 shared cores.
  testTimeout: 60_000,
};
