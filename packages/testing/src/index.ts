/** @ebb/testing public API. */
export const PACKAGE_NAME = '@ebb/testing';
