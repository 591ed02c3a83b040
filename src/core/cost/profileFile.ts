/** The usage profile's file name, at the root of an analysed folder (a module of its own: the editor imports it). */
export const PROFILE_FILE = 'serverless-advisor.yaml';
