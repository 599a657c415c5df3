/** Issue 18: an operation never imports another; what they share lives in a file of the resource. */
import { listRepoFiles, readRepoFile } from './repo-files.cjs';

const operationFiles = listRepoFiles('nodes', '.operation.ts');

function importsOf(file: string): string[] {
	const source = readRepoFile(file);
	return [...source.matchAll(/from\s+'([^']+)'/g)].map((match) => match[1]);
}

describe('operation files', () => {
	it('are found (three nodes, ten operations)', () => {
		expect(operationFiles.length).toBeGreaterThanOrEqual(10);
	});

	it.each(operationFiles)('%s imports no other operation', (file) => {
		expect(importsOf(file).filter((path) => path.endsWith('.operation'))).toEqual([]);
	});

	it('each node routes through its own actions/router.ts', () => {
		for (const node of ['Explorium', 'ExactBuyer', 'Pronto']) {
			const source = readRepoFile(`nodes/${node}/${node}.node.ts`);
			expect(source).toContain("from './actions/router'");
		}
	});
});
