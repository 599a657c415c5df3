/**
 * Issue 27: every Docs link of the nodes and credentials opens its own docs page as n8n 2.40.7 builds
 * the link, and every link of the README and the docs pages reaches a file and heading that exist.
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { ProntoTrigger } from '../../../nodes/Pronto/ProntoTrigger.node';
import { listRepoFiles, readRepoFile, repoFileExists, resolveRepoLink } from './repo-files.cjs';

const DOCS_URL =
	'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
	let inCode = false;
	const anchors = new Set<string>();
	for (const line of readRepoFile(file).split('\n')) {
		if (line.startsWith('```')) inCode = !inCode;
		const heading = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
		if (heading) anchors.add(githubAnchor(heading[1]));
	}
	return anchors;
}

/** The node's Docs link as n8n 2.40.7's NodeSettings builds it (editor-ui, useNodeDocsUrl). */
function n8nNodeDocsUrl(
	description: INodeTypeDescription,
	codex: { resources?: { primaryDocumentation?: Array<{ url: string }> } },
): string {
	if (description.documentationUrl?.startsWith('http')) return description.documentationUrl;
	const utm = new URLSearchParams({
		utm_source: 'n8n_app',
		utm_medium: 'node_settings_modal-credential_link',
		utm_campaign: description.name,
	});
	const url = codex.resources?.primaryDocumentation?.[0]?.url;
	return url ? `${url}?${utm.toString()}` : '';
}

const nodes: Array<[string, string, INodeTypeDescription]> = [
	['nodes/Explorium/Explorium.node.json', 'docs/explorium.md', new Explorium().description],
	['nodes/Pronto/Pronto.node.json', 'docs/pronto.md', new Pronto().description],
	[
		'nodes/Pronto/ProntoTrigger.node.json',
		'docs/pronto-trigger.md',
		new ProntoTrigger().description,
	],
	['nodes/ExactBuyer/ExactBuyer.node.json', 'docs/exactbuyer.md', new ExactBuyer().description],
];

describe('Docs links in n8n', () => {
	it.each(nodes)("%s: n8n opens the node's own page, %s", (codexFile, page, description) => {
		const codex = JSON.parse(readRepoFile(codexFile));
		const url = n8nNodeDocsUrl(description, codex);
		expect(url).toBe(`${DOCS_URL}${page}`);
		expect(repoFileExists(page)).toBe(true);
		// The codex link, used where the description has none, names the same page and no anchor.
		expect(codex.resources.primaryDocumentation[0].url).toBe(url);
	});

	it.each(listRepoFiles('credentials', '.credentials.ts'))(
		'%s: opens the credentials page (n8n uses a non-docs.n8n.io URL as given)',
		(file) => {
			const match = /documentationUrl\s*=\s*'([^']+)'/.exec(readRepoFile(file));
			expect(match?.[1]).toBe(`${DOCS_URL}docs/credentials.md`);
		},
	);

	it('the codex credential links open the credentials page too', () => {
		for (const [file] of nodes)
			expect(JSON.parse(readRepoFile(file)).resources.credentialDocumentation[0].url).toBe(
				`${DOCS_URL}docs/credentials.md`,
			);
	});
});

describe('links of the README and the docs pages', () => {
	const files = ['README.md', ...listRepoFiles('docs', '.md')];

	it('reads headings as GitHub anchors them', () => {
		expect(githubAnchor('Scaling (queue mode)')).toBe('scaling-queue-mode');
		expect(anchorsOf('docs/installing.md').has('installing-in-n8n')).toBe(true);
	});

	it.each(files)(
		'%s: every relative link reaches a file, and a heading when it names one',
		(file) => {
			const text = readRepoFile(file).replace(/```[\s\S]*?```/g, '');
			const broken: string[] = [];
			for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
				if (/^[a-z]+:/.test(target)) continue;
				const [path, anchor] = target.split('#');
				const resolved = resolveRepoLink(file, path);
				if (!repoFileExists(resolved)) broken.push(`${target} (no ${resolved})`);
				else if (anchor && !anchorsOf(resolved).has(anchor))
					broken.push(`${target} (no heading #${anchor} in ${resolved})`);
			}
			expect(broken).toEqual([]);
		},
	);

	it('the README is a landing page: its two commands near the top, the long reference in docs/', () => {
		const readme = readRepoFile('README.md').split('\n');
		expect(readme.length).toBeLessThan(150);
		const lineOf = (command: string) => readme.findIndex((line) => line.trim() === command);
		expect(lineOf('npm ci && npm run dev')).toBeGreaterThan(0);
		expect(lineOf('npm ci && npm test')).toBeGreaterThan(0);
		expect(lineOf('npm ci && npm test')).toBeLessThan(80);
		// CI runs the README's test command.
		expect(readRepoFile('.ci/run')).toMatch(/^npm ci\nnpm test$/m);
	});
});
