import { redactBody, redactSecrets } from '../../../nodes/bulk/transport';

const KEY = 'sim/k7+'; // 7 characters, two of them changed by URL encoding
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('redactSecrets: every form a server may echo a secret in', () => {
	it.each([
		['as is', KEY],
		['upper-cased', KEY.toUpperCase()],
		['URL-encoded', encodeURIComponent(KEY)],
		['form-encoded', new URLSearchParams({ k: KEY }).toString().slice(2)],
		['JSON-escaped', JSON.stringify('sim"k7\\x').slice(1, -1)],
		['base64', base64(KEY)],
		['base64 as the user of Basic', base64(`${KEY}:`)],
		['base64 as the password of Basic', base64(`:${KEY}`)],
	])('%s', (_, form) => {
		const secrets = [KEY, 'sim"k7\\x'];
		expect(redactSecrets(`seen: ${form}.`, secrets)).toBe('seen: [redacted].');
	});

	it('Basic with the key as user and any password: the part that encodes the key is redacted', () => {
		const key = 'sim-key-0042';
		const header = `Basic ${base64(`${key}:some-password`)}`;
		const redacted = redactSecrets(header, [key]);
		expect(redacted).toMatch(/^Basic \[redacted\]/);
		expect(
			Buffer.from(redacted.slice('Basic [redacted]'.length), 'base64').toString('latin1'),
		).not.toContain('key-0042');
	});

	it('from 4 characters on; 1–3 characters are left alone (they would corrupt ordinary text)', () => {
		expect(redactSecrets('code abcd', ['abcd'])).toBe('code [redacted]');
		expect(redactSecrets('the email is null', ['e', 'nu', 'ull'])).toBe('the email is null');
	});
});

describe('redactBody', () => {
	it('redacts field names too, never merging two fields', () => {
		const body = {
			[KEY]: 'a',
			[`x-${KEY}`]: 'b',
			'[redacted]': 'c',
			plain: { [KEY.toUpperCase()]: 'd' },
		};
		expect(redactBody(body, [KEY])).toEqual({
			'[redacted] (2)': 'a',
			'x-[redacted]': 'b',
			'[redacted]': 'c',
			plain: { '[redacted]': 'd' },
		});
	});

	it('a field named __proto__ stays a field', () => {
		const body = JSON.parse(`{"__proto__": "${KEY}", "n": 1}`) as Record<string, unknown>;
		const redacted = redactBody(body, [KEY]) as Record<string, unknown>;
		expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toBe('[redacted]');
		expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
	});

	it('a number equal to (or holding) a numeric key', () => {
		expect(redactBody({ id: 7654321, other: 17654321, count: 3 }, ['7654321'])).toEqual({
			id: '[redacted]',
			other: '[redacted]',
			count: 3,
		});
	});

	it('keeps an answer without secrets as it is (same objects), and stays linear on 100 000 items', () => {
		const body = {
			data: Array.from({ length: 100_000 }, (_, n) => ({
				prospect_id: `id-${n}`,
				email: `person${n}@example.com`,
				score: n,
			})),
		};
		const started = Date.now();
		expect(redactBody(body, [KEY, 'sim-webhook-token-0123456789abcdef'])).toBe(body);
		// Generous: about 0.2 s here; a quadratic pass would take minutes.
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('redactBody with the text the body was parsed from: the same result, most answers not walked', () => {
	const secret = 'sim-key-0042';
	it.each([
		['as is', `{"note": "key ${secret}"}`],
		['in a field name, upper-cased', `{"${secret.toUpperCase()}": 1}`],
		['spelled with a JSON escape', `{"note": "\\u0073im-key-0042"}`],
		['nowhere', `{"note": "nothing here", "n": 42}`],
	])('%s', (_, text) => {
		const expected = redactBody(JSON.parse(text), [secret]);
		expect(redactBody(JSON.parse(text), [secret], text)).toEqual(expected);
	});

	it('the secret spelled with an escape, and a number spelling a numeric secret, are still redacted', () => {
		const escaped = '{"note": "\\u0073im-key-0042"}';
		expect(redactBody(JSON.parse(escaped), [secret], escaped)).toEqual({ note: '[redacted]' });
		expect(redactBody({ n: 1e7 }, ['10000000'], '{"n": 1e7}')).toEqual({ n: '[redacted]' });
	});

	it('an answer whose text shows no secret is returned as it is', () => {
		const body = { note: 'nothing here' };
		expect(redactBody(body, [secret], JSON.stringify(body))).toBe(body);
	});
});
