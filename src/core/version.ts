/** Kept equal to package.json's version by a unit test; the core does not read package.json at run time. */
export const TOOL_VERSION = '0.1.0';
