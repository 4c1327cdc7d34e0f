/** @ebb/core public API. */
export const PACKAGE_NAME = '@ebb/core';
