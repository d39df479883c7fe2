export const PLUGIN_ID = 'mosaic';
