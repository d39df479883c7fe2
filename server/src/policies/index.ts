/** Routes that take or reveal trusted visitor data answer only to API tokens. */
import { errors } from '@strapi/utils';

// Strapi 5.54 names the strategy 'content-api-token'; earlier 5.x releases said 'api-token'.
const API_TOKEN_STRATEGIES = new Set(['content-api-token', 'api-token']);

type AuthState = { state: { auth?: { strategy?: { name?: string } } } };

/** Whether an API token authenticated the request (not a role, not the public). */
export const isApiTokenRequest = (ctx: AuthState) =>
  API_TOKEN_STRATEGIES.has(ctx.state.auth?.strategy?.name ?? '');

export default {
  'api-token-only': (ctx: AuthState) => {
    if (!isApiTokenRequest(ctx)) {
      throw new errors.ForbiddenError('This route needs an API token (Settings → API Tokens)');
    }
    return true;
  },
};
