/** The version of @ebb/core that plugin manifests' `coreVersion` ranges are checked against. */
export const CORE_VERSION = '0.1.0';
