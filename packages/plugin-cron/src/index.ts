/** @ebb/plugin-cron public API. */
export const PACKAGE_NAME = '@ebb/plugin-cron';
