/** Feature modules wired into the app and the CLI. */
export const FEATURE_MODULES: any[] = [];
