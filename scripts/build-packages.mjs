#!/usr/bin/env node
// Builds the single-provider packages (packages/<name>/: a committed package.json and README.md each)
// from this repository's one compiled build (dist/: run `tsc` and `gulp build:assets` first, as
// `npm run build` does). For each package, build/packages/<name>/ gets:
//   - the TypeScript sources its nodes and credentials import, followed import by import from the
//     entry points its package.json lists (so the engine comes along and no other provider does),
//     with the default eslint.config.mjs and a tsconfig.json: what `n8n-node lint` (strict) checks;
//   - dist/: the same files compiled (copied from dist/, so a credential is byte-identical in every
//     package that ships it: n8n keys credential types by name across packages), the icons they
//     name, each node's codex with its node type prefixed by this package's name, and index.js;
//   - package.json, README.md and LICENSE: what `npm pack` there publishes.
//
//   node scripts/build-packages.mjs      prints one line per package; exits 1 on a problem
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const packagesDir = path.join(root, 'packages');
export const buildDir = path.join(root, 'build', 'packages');

/** The single-provider packages: their committed manifests, by folder. */
export function singlePackages() {
	return fs
		.readdirSync(packagesDir)
		.filter((name) => fs.existsSync(path.join(packagesDir, name, 'package.json')))
		.map((name) => ({
			name,
			manifest: JSON.parse(fs.readFileSync(path.join(packagesDir, name, 'package.json'), 'utf8')),
			dir: path.join(buildDir, name),
		}));
}

const IMPORT = /\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\s+'(\.{1,2}\/[^']+)'/g;

/** Every source file (repo-relative) the entry points reach through relative imports. */
export function importClosure(entries) {
	const seen = new Set();
	const queue = [...entries];
	while (queue.length) {
		const file = queue.pop();
		if (seen.has(file)) continue;
		seen.add(file);
		const text = fs.readFileSync(path.join(root, file), 'utf8');
		for (const match of text.matchAll(IMPORT)) {
			const base = path.join(path.dirname(file), match[1] ?? match[2]);
			const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find(
				(candidate) =>
					fs.existsSync(path.join(root, candidate)) &&
					fs.statSync(path.join(root, candidate)).isFile(),
			);
			if (!found) throw new Error(`${file}: cannot resolve import ${match[1] ?? match[2]}`);
			queue.push(found);
		}
	}
	return [...seen].sort();
}

/** Added to a single package's node display names (see buildPackage). */
export const SINGLE_NAME_SUFFIX = ' Bulk Enrichment';

const sourceOf = (distFile) => distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts');

function copy(from, to) {
	fs.mkdirSync(path.dirname(to), { recursive: true });
	fs.copyFileSync(from, to);
}

const STATUS_TABLE_MARK = /<!-- status table:[^>]*-->/;

/** The package's README with the status table of docs/how-nodes-behave.md (one source for both). */
function readme(name) {
	const text = fs.readFileSync(path.join(packagesDir, name, 'README.md'), 'utf8');
	const docs = fs.readFileSync(path.join(root, 'docs', 'how-nodes-behave.md'), 'utf8');
	const table = /^\| `enrichment_status` \|[^\n]*\n(?:\|[^\n]*\n)+/m.exec(docs)?.[0];
	if (!table || !STATUS_TABLE_MARK.test(text))
		throw new Error(`packages/${name}/README.md or docs/how-nodes-behave.md lost the status table`);
	// Links relative to docs/ would point nowhere on npm.
	const absolute = table.replace(
		/\]\((?!https?:)([^)]+)\)/g,
		'](https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/$1)',
	);
	return text.replace(STATUS_TABLE_MARK, absolute.trimEnd());
}

/** Builds one package into build/packages/<name>/; returns what went in. */
export function buildPackage({ name, manifest, dir }) {
	const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	if (manifest.version !== rootPkg.version)
		throw new Error(
			`packages/${name}/package.json has version ${manifest.version}, package.json ${rootPkg.version}: they are released together`,
		);
	fs.rmSync(dir, { recursive: true, force: true });
	const entries = [...manifest.n8n.nodes, ...manifest.n8n.credentials].map(sourceOf);
	const sources = importClosure(entries);
	for (const file of sources) {
		copy(path.join(root, file), path.join(dir, file));
		if (!file.endsWith('.ts')) continue;
		const compiled = path.join('dist', file.replace(/\.ts$/, '.js'));
		if (!fs.existsSync(path.join(root, compiled)))
			throw new Error(`${compiled} is missing: run npm run build`);
		copy(path.join(root, compiled), path.join(dir, compiled));
	}
	// n8n's Community Nodes installer records each node under its display name, a primary key across
	// all packages (installed_nodes.name): a second package with a node called "Explorium" fails to
	// install (SQLITE_CONSTRAINT). So a single package's nodes are "<Provider> Bulk Enrichment" (and
	// "… Trigger"), in its sources and its compiled files alike; nothing else in them changes.
	for (const file of manifest.n8n.nodes.map(sourceOf)) {
		const className = path.basename(file).split('.')[0];
		const typeName = className[0].toLowerCase() + className.slice(1);
		for (const copyOf of [file, path.join('dist', file.replace(/\.ts$/, '.js'))]) {
			const target = path.join(dir, copyOf);
			const text = fs.readFileSync(target, 'utf8');
			const renamed = text.replace(
				new RegExp(`(displayName: ')([^']+?)( Trigger)?(',\\s*name: '${typeName}')`),
				`$1$2${SINGLE_NAME_SUFFIX}$3$4`,
			);
			if (renamed === text) throw new Error(`${copyOf}: no node display name found to rename`);
			fs.writeFileSync(target, renamed);
		}
	}
	// Icons named by `file:` paths (relative to the compiled file) and each node's codex.
	for (const file of entries) {
		const text = fs.readFileSync(path.join(root, file), 'utf8');
		for (const [, icon] of text.matchAll(/'file:([^']+)'/g)) {
			const relative = path.join(path.dirname(file), icon);
			copy(path.join(root, relative), path.join(dir, relative));
			copy(path.join(root, relative), path.join(dir, 'dist', relative));
		}
		const codexFile = file.replace(/\.ts$/, '.json');
		if (!fs.existsSync(path.join(root, codexFile))) continue;
		const codex = JSON.parse(fs.readFileSync(path.join(root, codexFile), 'utf8'));
		codex.node = codex.node.replace(/^[^.]+\./, `${name}.`);
		const text2 = `${JSON.stringify(codex, null, '\t')}\n`;
		for (const to of [path.join(dir, codexFile), path.join(dir, 'dist', codexFile)]) {
			fs.mkdirSync(path.dirname(to), { recursive: true });
			fs.writeFileSync(to, text2);
		}
	}
	writeExamples(name, manifest);
	copy(path.join(root, 'index.js'), path.join(dir, 'dist', 'index.js'));
	copy(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
	fs.writeFileSync(path.join(dir, 'README.md'), readme(name));
	copy(path.join(packagesDir, name, 'package.json'), path.join(dir, 'package.json'));
	copy(path.join(root, 'eslint.config.mjs'), path.join(dir, 'eslint.config.mjs'));
	const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
	tsconfig.compilerOptions.types = ['node'];
	tsconfig.include = ['nodes/**/*.ts', 'credentials/**/*.ts'];
	fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, '\t')}\n`);
	return { sources };
}

const COMBINED_PREFIX = 'n8n-nodes-bulk-enrichment.';

/**
 * The examples that use only this package's nodes (beside n8n's own), written to
 * packages/<name>/examples/ with its node types (committed: its README links there; a clean
 * checkout's build must leave them unchanged, which verify-package checks).
 */
function writeExamples(name, manifest) {
	const own = new Set(
		manifest.n8n.nodes.map((file) => {
			const className = path.basename(file).split('.')[0];
			return COMBINED_PREFIX + className[0].toLowerCase() + className.slice(1);
		}),
	);
	// n8n offers each node as an AI agent's tool under its type name + "Tool".
	for (const type of [...own]) own.add(`${type}Tool`);
	const target = path.join(packagesDir, name, 'examples');
	fs.rmSync(target, { recursive: true, force: true });
	for (const file of fs.readdirSync(path.join(root, 'examples'))) {
		const text = fs.readFileSync(path.join(root, 'examples', file), 'utf8');
		const types = [...text.matchAll(/"type":\s*"(n8n-nodes-bulk-enrichment\.[^"]+)"/g)].map(
			(match) => match[1],
		);
		if (types.length === 0 || !types.every((type) => own.has(type))) continue;
		fs.mkdirSync(target, { recursive: true });
		fs.writeFileSync(path.join(target, file), text.replaceAll(`"${COMBINED_PREFIX}`, `"${name}.`));
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	try {
		for (const pkg of singlePackages()) {
			const { sources } = buildPackage(pkg);
			console.log(
				`build/packages/${pkg.name}: ${sources.length} source files (${pkg.manifest.n8n.nodes.length} node(s), ${pkg.manifest.n8n.credentials.length} credential)`,
			);
		}
	} catch (error) {
		console.error(`build-packages: ${error.message}`);
		process.exit(1);
	}
}
