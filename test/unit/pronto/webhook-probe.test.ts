import {
	judgeProbeAnswer,
	PROBE_ANSWER,
	TOKEN_REFUSED_MESSAGE,
} from '../../../nodes/Pronto/adapter/webhook-token';

describe('judgeProbeAnswer: what an answer to the probe says about the Webhook URL', () => {
	it.each<[string, number, unknown, string]>([
		['the Pronto Trigger', 200, { ...PROBE_ANSWER }, 'trigger'],
		[
			"n8n's 404 for a path it does not serve",
			404,
			{ code: 404, message: 'The requested webhook "GET abc/callback" is not registered.' },
			'notRegistered',
		],
		['a 404 from anything else', 404, '<html>Not Found</html>', 'notRegistered'],
		[
			"n8n's 404 for a path it serves for POST only",
			404,
			{
				code: 404,
				message:
					'This webhook is not registered for GET requests. Did you mean to make a POST request?',
			},
			'postOnly',
		],
		['the trigger refusing the token', 401, { message: TOKEN_REFUSED_MESSAGE }, 'tokenRefused'],
		['another 401', 401, { message: 'Authorization is required!' }, 'notTrigger'],
		['a 200 from another server', 200, { received: true }, 'notTrigger'],
		['a 200 with an HTML page', 200, '<html></html>', 'notTrigger'],
		['a redirect', 302, '', 'notTrigger'],
		['a server error of n8n', 500, { message: 'Workflow could not be started!' }, 'notTrigger'],
		['a gateway without n8n behind it', 502, '', 'unchecked'],
		['a gateway timing out', 504, '', 'unchecked'],
	])('%s → %s', (_, statusCode, body, verdict) => {
		expect(judgeProbeAnswer(statusCode, body)).toBe(verdict);
	});
});
