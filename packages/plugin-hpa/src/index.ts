/** @ebb/plugin-hpa public API. */
export const PACKAGE_NAME = '@ebb/plugin-hpa';
