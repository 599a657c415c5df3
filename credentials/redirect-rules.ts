import type { IAuthenticateRuleResponseCode } from 'n8n-workflow';

/** Redirect statuses a credential Test reports instead of following. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * The Test request must not follow a redirect: n8n would send the API key header to wherever the
 * Base URL points it (another host included) and report the other host's answer as a success.
 * With redirects off, a 3xx is an error the Test reports with these rules.
 */
export function redirectRules(providerName: string): IAuthenticateRuleResponseCode[] {
	return REDIRECT_STATUSES.map((value) => ({
		type: 'responseCode' as const,
		properties: {
			value,
			message: `${providerName}'s Base URL answered with a redirect (HTTP ${value}), which is not followed so the API key never goes to another address: set Base URL to the provider's API address`,
		},
	}));
}
