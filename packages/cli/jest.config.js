import preset from '../../jest.preset.js';

// The Chromium agreement test launches a browser and walks 30+ server behaviours: give it room.
export default { ...preset, displayName: 'cli', testTimeout: 120000 };
