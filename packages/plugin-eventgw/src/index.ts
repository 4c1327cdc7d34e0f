/** @ebb/plugin-eventgw public API. */
export const PACKAGE_NAME = '@ebb/plugin-eventgw';
