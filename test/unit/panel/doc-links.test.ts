/** Issue 21: every Docs link of the nodes and credentials opens a README section that exists. */
import { listRepoFiles, readRepoFile } from './repo-files.cjs';

const README_URL = 'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function readmeAnchors(): Set<string> {
	let inCode = false;
	const anchors = new Set<string>();
	for (const line of readRepoFile('README.md').split('\n')) {
		if (line.startsWith('```')) inCode = !inCode;
		const heading = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
		if (heading) anchors.add(githubAnchor(heading[1]));
	}
	return anchors;
}

/** The Docs links n8n shows: codex resources of every node, documentationUrl of every credential. */
function docLinks(): Array<{ file: string; url: string }> {
	const links: Array<{ file: string; url: string }> = [];
	for (const file of listRepoFiles('nodes', '.node.json')) {
		const codex = JSON.parse(readRepoFile(file)) as { resources?: Record<string, Array<{ url: string }>> };
		for (const entries of Object.values(codex.resources ?? {})) links.push(...entries.map(({ url }) => ({ file, url })));
	}
	for (const file of listRepoFiles('credentials', '.credentials.ts')) {
		const match = /documentationUrl\s*=\s*'([^']+)'/.exec(readRepoFile(file));
		links.push({ file, url: match ? match[1] : '(no documentationUrl)' });
	}
	return links;
}

describe('Docs links', () => {
	const anchors = readmeAnchors();
	const links = docLinks();

	it('finds the links of the four nodes and three credentials', () => {
		expect(links.filter(({ file }) => file.endsWith('.node.json')).length).toBeGreaterThanOrEqual(8);
		expect(links.filter(({ file }) => file.endsWith('.credentials.ts'))).toHaveLength(3);
	});

	it('reads the README headings as GitHub anchors them', () => {
		expect(githubAnchor('ExactBuyer node')).toBe('exactbuyer-node');
		expect(githubAnchor('Scaling (queue mode)')).toBe('scaling-queue-mode');
		expect(anchors.has('credentials')).toBe(true);
	});

	it.each(docLinks().map(({ file, url }) => [file, url]))('%s: %s opens a README section that exists', (_, url) => {
		expect(url.startsWith(`${README_URL}#`)).toBe(true);
		expect(anchors).toContain(url.slice(README_URL.length + 1));
	});
});
