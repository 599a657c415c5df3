import {
	addWebhookToken,
	isAuthenticToken,
	webhookTokenFor,
	WEBHOOK_TOKEN_PARAMETER,
} from '../../../nodes/Pronto/adapter/webhook-token';

const SECRET = 'test-webhook-secret';
const URL_BASE = 'https://n8n.example.com/webhook/abc/callback';

function tokenIn(url: string): string | null {
	return new URL(url).searchParams.get(WEBHOOK_TOKEN_PARAMETER);
}

describe('webhook token', () => {
	it('round trip: the token added to the URL is accepted with the same secret', () => {
		const token = tokenIn(addWebhookToken(URL_BASE, SECRET));
		expect(token).not.toBeNull();
		expect(isAuthenticToken(token, SECRET)).toBe(true);
	});

	it('is a hex HMAC derived from the secret: stable, never the secret itself', () => {
		const token = webhookTokenFor(SECRET);
		expect(token).toMatch(/^[0-9a-f]{64}$/);
		expect(token).toBe(webhookTokenFor(SECRET));
		expect(token).not.toContain(SECRET);
		expect(webhookTokenFor('test-other-secret')).not.toBe(token);
	});

	it.each<[string, unknown]>([
		['a token made with another secret', webhookTokenFor('test-other-secret')],
		['the secret itself', SECRET],
		['the token with one character missing', webhookTokenFor(SECRET).slice(1)],
		[
			'the token with one character changed',
			`${webhookTokenFor(SECRET).slice(0, -1)}${webhookTokenFor(SECRET).endsWith('0') ? '1' : '0'}`,
		],
		['the token upper-cased', webhookTokenFor(SECRET).toUpperCase()],
		['an empty token', ''],
		['no token', undefined],
		['null', null],
		['a list (a repeated query parameter)', [webhookTokenFor(SECRET)]],
		['an object (n8n parses a[b]=c into one)', { a: webhookTokenFor(SECRET) }],
	])('refuses %s', (_, received) => {
		expect(isAuthenticToken(received, SECRET)).toBe(false);
	});

	it("keeps the URL's existing query parameters, path and host", () => {
		const url = new URL(addWebhookToken(`${URL_BASE}?keep=1&other=a%20b`, SECRET));
		expect(url.origin + url.pathname).toBe(URL_BASE);
		expect(url.searchParams.get('keep')).toBe('1');
		expect(url.searchParams.get('other')).toBe('a b');
		expect(url.searchParams.get(WEBHOOK_TOKEN_PARAMETER)).toBe(webhookTokenFor(SECRET));
	});

	it('replaces a token already in the URL instead of adding a second one', () => {
		const url = new URL(addWebhookToken(`${URL_BASE}?${WEBHOOK_TOKEN_PARAMETER}=stale`, SECRET));
		expect(url.searchParams.getAll(WEBHOOK_TOKEN_PARAMETER)).toEqual([webhookTokenFor(SECRET)]);
	});
});
