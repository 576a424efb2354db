import preset from '../../jest.preset.js';

// The Chromium agreement test launches a browser and walks 30+ server behaviours: give it room.
export default {
  ...preset,
  displayName: 'cli',
  testTimeout: 120000,
  // The bin tests spawn dist/bin.js: build it (and core) first when missing or stale.
  globalSetup: '<rootDir>/test/global-setup.js',
};
