/** @ebb/scaler public API. */
export const PACKAGE_NAME = '@ebb/scaler';
