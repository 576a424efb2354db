export const DEMO_CONFIG = 'DEMO_CONFIG';
export const DEMO_STATS = 'DEMO_STATS';
