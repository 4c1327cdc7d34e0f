/** @ebb/plugin-kpa public API. */
export const PACKAGE_NAME = '@ebb/plugin-kpa';
