/** Where a token comes from, said wherever one is missing or refused. */
export const TOKEN_HINT = 'an API token comes from npm run cli -- users create --role R [--rep ID] (the demo prints one per role on first start)';
export const MISSING_TOKEN = `missing bearer token (send Authorization: Bearer <token>; ${TOKEN_HINT})`;
export const REFUSED_TOKEN = `invalid or revoked token (${TOKEN_HINT})`;
