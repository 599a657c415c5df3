// A scripted OpenAI-compatible chat model on loopback, for driving n8n's AI Agent in the e2e suite:
// the agent's "model" calls the tool the scenario names with the arguments it names, then answers
// with the tool's result. Every request is recorded, so a scenario can assert what the agent
// offered the model (tool names, descriptions, schemas) and what the tool answered it.
//
// Served: what n8n's OpenAI Chat Model sends, POST /v1/chat/completions (plain JSON or `stream:
// true` server-sent events) and GET /v1/models; and POST /record/<name>, which records its body and
// answers 200, a stand-in for a CRM that a tool writes to.
//
// leadModel is a script that needs no scenario: the stand-in model "OpenAI (simulator)" of
// `npm run dev` and of the examples (examples/ai-agent-enrich-lead-to-hubspot.json).
import http from 'node:http';

/**
 * @typedef {{ tool: RegExp | string, args: Record<string, unknown> }} ToolPlan
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, body: any }} StubRequest
 */

/**
 * @param {object} o
 * @param {(toolResults: string[], request: {messages: any[], tools: any[]}) => ToolPlan | undefined} o.nextToolCall
 *   the model's next tool call, given the tools' answers so far (and the request); undefined: it
 *   answers with the last of them
 * @param {string} [o.host]
 * @param {number} [o.port] 0: any free port
 */
export async function startChatModelStub({ nextToolCall, host = '127.0.0.1', port = 0 }) {
	/** @type {StubRequest[]} */
	const requests = [];
	let seq = 0;

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = raw ? JSON.parse(raw) : null;
			} catch {
				body = raw;
			}
			requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
			if (req.method === 'GET' && path.endsWith('/models')) {
				return json(res, 200, {
					object: 'list',
					data: [{ id: 'stub-model', object: 'model', owned_by: 'e2e' }],
				});
			}
			if (req.method === 'POST' && path.startsWith('/record/'))
				return json(res, 200, { saved: true });
			if (req.method === 'POST' && path.endsWith('/chat/completions')) {
				const message = reply(body);
				return body?.stream
					? stream(res, message, body.model)
					: json(res, 200, completion(message, body?.model));
			}
			return json(res, 404, { error: { message: `stub: no route for ${req.method} ${req.url}` } });
		});
	});

	/** The assistant's next message: the scenario's next tool call, else the last tool's answer. */
	function reply(body) {
		const messages = Array.isArray(body?.messages) ? body.messages : [];
		const toolResults = messages
			.filter((m) => m.role === 'tool')
			.map((m) => contentText(m.content));
		const plan = nextToolCall(toolResults, { messages, tools: body?.tools ?? [] });
		if (!plan)
			return {
				role: 'assistant',
				content: `Tool answered: ${toolResults[toolResults.length - 1] ?? '(no tool was called)'}`,
			};
		const offered = (body?.tools ?? []).map((t) => t.function?.name).filter(Boolean);
		const name = offered.find((n) =>
			plan.tool instanceof RegExp ? plan.tool.test(n) : n === plan.tool,
		);
		if (!name) {
			return {
				role: 'assistant',
				content: `No tool matching ${String(plan.tool)} among: ${offered.join(', ')}`,
			};
		}
		return {
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id: `call_${++seq}`,
					type: 'function',
					function: { name, arguments: JSON.stringify(plan.args) },
				},
			],
		};
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		baseUrl: `http://${host}:${address.port}/v1`,
		requests,
		/** The chat completion requests, in order. */
		completions: () =>
			requests.filter((r) => r.method === 'POST' && r.url.includes('/chat/completions')),
		/** What was POSTed to /record/<name>. */
		recorded: (name) =>
			requests
				.filter((r) => r.method === 'POST' && r.url.startsWith(`/record/${name}`))
				.map((r) => r.body),
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

/** The credential n8n's OpenAI Chat Model uses to reach a stub (for `n8n import:credentials`). */
export const STUB_CREDENTIAL = {
	id: 'simChatModelStub01',
	name: 'OpenAI (simulator)',
	type: 'openAiApi',
};
export const stubCredential = (stub) => ({
	...STUB_CREDENTIAL,
	data: { apiKey: 'simulator-placeholder', url: stub.baseUrl },
});

/**
 * A model for trying an agent offline: from the last user message it reads a lead ("Ada Lovelace at
 * Acme Analytics", an email, a LinkedIn URL) and calls each offered tool once, in order, filling the
 * arguments its schema names from the lead and from what the tools found; it stops when a tool
 * found nothing (the example's system message says: then do not save).
 * @type {(toolResults: string[], request: {messages: any[], tools: any[]}) => ToolPlan | undefined}
 */
export function leadModel(toolResults, { messages, tools }) {
	const tool = tools[toolResults.length]?.function;
	const last = toolResults.length ? safeJson(toolResults[toolResults.length - 1]) : null;
	const found = Array.isArray(last) ? last[0] : last;
	if (!tool || (toolResults.length && found?.enrichment_status !== 'found')) return undefined;
	const said = contentText([...messages].reverse().find((m) => m.role === 'user')?.content ?? '');
	const [, fullName = '', companyName = ''] =
		/([A-Z][\w'-]+(?: [A-Z][\w'-]+)+) at ([^,.;\n]+)/.exec(said) ?? [];
	const [firstName = '', ...rest] = fullName.split(' ');
	const lead = {
		fullName,
		firstName,
		lastName: rest.join(' '),
		companyName: companyName.trim(),
		email: /[\w.+-]+@[\w-]+\.[\w.-]+/.exec(said)?.[0] ?? '',
		linkedinUrl: /https?:\/\/\S*linkedin\.com\/in\/[^\s,]+/.exec(said)?.[0] ?? '',
		...Object.fromEntries(
			Object.entries(found ?? {}).filter(([, v]) => typeof v === 'string' && v),
		),
	};
	lead.jobTitle ??= lead.job_title ?? '';
	const args = Object.fromEntries(
		Object.keys(tool.parameters?.properties ?? {}).map((key) => [key, lead[key] ?? '']),
	);
	return { tool: tool.name, args };
}

function safeJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return JSON.stringify(content);
}

function completion(message, model = 'stub-model') {
	return {
		id: `chatcmpl-stub-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function json(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** The same message as server-sent chunks, the way the API streams it. */
function stream(res, message, model = 'stub-model') {
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	const base = {
		id: `chatcmpl-stub-${Date.now()}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model,
	};
	const send = (delta, finish = null) =>
		res.write(
			`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
		);
	if (message.tool_calls) {
		send({
			role: 'assistant',
			content: null,
			tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })),
		});
		send({}, 'tool_calls');
	} else {
		send({ role: 'assistant', content: message.content });
		send({}, 'stop');
	}
	res.write(
		`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } })}\n\n`,
	);
	res.end('data: [DONE]\n\n');
}
