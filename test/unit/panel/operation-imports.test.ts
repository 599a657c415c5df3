/** Issue 18: an operation never imports another; what they share lives in a file of the resource. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const NODES = join(__dirname, '../../../nodes');

const operationFiles = readdirSync(NODES, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.operation.ts'));

function importsOf(file: string): string[] {
	const source = readFileSync(join(NODES, file), 'utf8');
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
			const source = readFileSync(join(NODES, node, `${node}.node.ts`), 'utf8');
			expect(source).toContain("from './actions/router'");
		}
	});
});
