#!/usr/bin/env node
// The package checks n8n runs before it verifies a community package, run here offline on this
// checkout and on the tarball `npm pack` makes of it (dist/ must be built first: `npm run build`).
//
//   node scripts/verify-package.mjs            `npm run test:package` (part of `npm test`, so CI)
//   node scripts/verify-package.mjs --release  `npm run release:dry-run`: the release checklist
//                                               (also run by .github/workflows/publish.yml)
//
// @n8n/scan-community-package (n8n's scanner) has three gates: npm provenance, an ESLint leg on the
// source checkout the provenance names, and an ESLint leg on the published tarball. The two lint
// legs are run here with the scanner's own code (its exported analyzePackage, with the file patterns
// its analyzePackageByName passes, read from its source so an upgrade that changes them is noticed),
// on the same inputs: the committed source tree, and the tarball extracted as the scanner extracts
// it. Provenance only a real publish from GitHub Actions can give; what can be checked before is
// that the publish workflow asks for it. Each lint leg is also shown to fail on a planted violation.
//
// The single-provider packages built into build/packages/ (scripts/build-packages.mjs) get the same
// checks each, plus n8n-node lint and cloud-support in their own folder, their tarball holding only
// their provider, and their credential byte-identical to the combined package's.
//
// --release adds what only a release needs: the tag is v<version> (--tag vX.Y.Z, or the pushed tag
// in GitHub Actions), the working tree is committed (the source leg lints what the tag will name),
// CHANGELOG.md has the version, and `npm publish --dry-run` with the workflow's flags accepts the
// tarball.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const release = args.includes('--release');
const tagArg = args.includes('--tag') ? args[args.indexOf('--tag') + 1] : undefined;

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-package-'));
const results = [];

function check(name, ok, detail = '') {
	results.push({ name, ok });
	console.log(`${ok ? '✔' : '✘'} ${name}${detail ? `\n${indent(detail)}` : ''}`);
	return ok;
}
const indent = (text) => text.trimEnd().replace(/^/gm, '    ');

function run(command, commandArgs, options = {}) {
	const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', ...options });
	if (result.error) throw result.error;
	return result;
}

// ── the scanner, and the legs as it runs them ─────────────────────────────────────────────────
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(path.dirname(scannerFile), '..', 'package.json'), 'utf8'),
).version;
const scannerSource = fs.readFileSync(scannerFile, 'utf8');
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(
	pathToFileURL(scannerFile).href
);
// The scanner makes a download folder when it loads (its `tmp`); have it removed on exit.
createRequire(scannerFile)('tmp').setGracefulCleanup();
const sourceLeg = /analyzePackage\(\s*sourceDir,\s*SOURCE_FILE_PATTERNS\s*\)/.test(scannerSource);
const tarballLeg = /analyzePackage\(\s*packageDir,\s*(\[[^\]]*\])\s*\)/.exec(scannerSource);
const tarballPatterns = tarballLeg ? JSON.parse(tarballLeg[1].replace(/'/g, '"')) : undefined;
const legsKnown = check(
	`@n8n/scan-community-package ${scannerVersion}: source leg lints ${JSON.stringify(SOURCE_FILE_PATTERNS)}, tarball leg ${JSON.stringify(tarballPatterns)}`,
	sourceLeg && Array.isArray(tarballPatterns) && Array.isArray(SOURCE_FILE_PATTERNS),
	sourceLeg && tarballPatterns
		? ''
		: 'this scanner version no longer runs its lint legs as analyzePackage(sourceDir, SOURCE_FILE_PATTERNS) and analyzePackage(packageDir, [...]): read its scanner.mjs and update this script',
);

/** One lint leg: the scanner's analyzePackage on a directory; passes only if it linted files. */
async function lintLeg(name, dir, patterns) {
	const started = Date.now();
	const result = await analyzePackage(dir, patterns);
	const linted = result.message !== 'No files found to analyze';
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	return check(
		`${name} (${seconds} s)`,
		result.passed && linted,
		result.passed
			? linted
				? ''
				: 'no files matched: the leg linted nothing'
			: `${result.message}\n${result.details ?? ''}`,
	);
}

/** The leg must fail once a node file calls console.log (the scanner's config makes that an error). */
async function plantedViolationFails(name, packageJson, file, fileContent, patterns) {
	const dir = fs.mkdtempSync(path.join(work, 'planted-'));
	fs.writeFileSync(path.join(dir, 'package.json'), packageJson);
	fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
	fs.writeFileSync(
		path.join(dir, file),
		`${fileContent}\nconsole.log('planted by verify-package');\n`,
	);
	const result = await analyzePackage(dir, patterns);
	return check(
		`${name} fails on a planted console.log in ${file}`,
		!result.passed && /no-console/.test(result.details ?? ''),
		result.passed ? 'it passed: this leg cannot fail, so its pass above means nothing' : '',
	);
}

// ── n8n Cloud eligibility, as node-cli decides it (strict mode and its default ESLint config) ──
const cloud = run(path.join(root, 'node_modules/.bin/n8n-node'), ['cloud-support'], {
	env: { ...process.env, NO_COLOR: '1' },
});
const cloudStatus =
	/Status:\s*(NOT eligible|eligible)/.exec(cloud.stdout + cloud.stderr)?.[1] ?? 'no status';
check(
	`n8n-node cloud-support: ${cloudStatus} for n8n Cloud verification`,
	cloud.status === 0 && cloudStatus === 'eligible',
	cloudStatus === 'eligible' ? '' : cloud.stdout + cloud.stderr,
);

// ── the tarball ───────────────────────────────────────────────────────────────────────────────
const entryPoints = [pkg.main, ...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
const missingBuild = entryPoints.filter((file) => !fs.existsSync(path.join(root, file)));
if (
	!check(
		'dist/ is built (main and every n8n node and credential)',
		missingBuild.length === 0,
		missingBuild.length ? `missing: ${missingBuild.join(', ')}: run npm run build first` : '',
	)
) {
	finish();
}
const pack = run('npm', ['pack', '--json', '--pack-destination', work]);
if (!check('npm pack', pack.status === 0, pack.status === 0 ? '' : pack.stderr)) finish();
const [packed] = JSON.parse(pack.stdout);
const tarball = path.join(work, packed.filename);
const packedFiles = packed.files.map((file) => file.path);
const allowed = (file) =>
	file.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE'].includes(file);
const strays = packedFiles.filter((file) => !allowed(file));
const absent = entryPoints.filter((file) => !packedFiles.includes(file));
check(
	`${packed.filename}: ${packedFiles.length} files, ${(packed.size / 1024).toFixed(0)} kB, only dist/, package.json, README.md and LICENSE; main and every node and credential in it`,
	strays.length === 0 && absent.length === 0,
	[
		strays.length ? `not expected in the tarball: ${strays.join(', ')}` : '',
		absent.length ? `missing from the tarball: ${absent.join(', ')}` : '',
	]
		.filter(Boolean)
		.join('\n'),
);
// Extracted as the scanner extracts what `npm pack <name>@<version>` downloads.
const packageDir = path.join(work, `${pkg.name}-${pkg.version}`);
fs.mkdirSync(packageDir);
const untar = run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
check('tarball extracts', untar.status === 0, untar.stderr);

// n8n keys credential types by name across every installed package: a name another package also
// declares (Explorium's own package has `exploriumApi`) breaks one of the two. Each credential
// class, loaded from the tarball as n8n loads it (class name = file name), keeps the prefix.
const CREDENTIAL_PREFIX = 'bulkEnrichment';
const credentialNames = (pkg.n8n?.credentials ?? []).map((file) => {
	const className = path.basename(file).split('.')[0];
	try {
		const Credential = require(path.join(packageDir, file))[className];
		return new Credential().name;
	} catch (error) {
		return `(${file}: ${error.message})`;
	}
});
check(
	`credential types named ${CREDENTIAL_PREFIX}…: ${credentialNames.join(', ')}`,
	credentialNames.length > 0 &&
		credentialNames.every((name) => new RegExp(`^${CREDENTIAL_PREFIX}[A-Z]\\w*Api$`).test(name)),
	credentialNames.length ? '' : 'package.json n8n.credentials is empty',
);

// ── the source tree the provenance would name: every committed (or to-be-committed) file ──────
const sourceDir = path.join(work, 'source');
const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
if (!check('git lists the source files', listed.status === 0, listed.stderr)) finish();
for (const file of listed.stdout.split('\0').filter(Boolean)) {
	const from = path.join(root, file);
	if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue; // deleted, or a submodule
	fs.mkdirSync(path.join(sourceDir, path.dirname(file)), { recursive: true });
	fs.copyFileSync(from, path.join(sourceDir, file));
}
const packageRoot = findPackageRoot(sourceDir, pkg.name);
check(`the source tree holds the package ${pkg.name}`, packageRoot !== null);

// ── the two lint legs, and proof that each can fail ──────────────────────────────────────────
if (legsKnown && packageRoot) {
	await lintLeg('scanner source leg on the source tree', packageRoot, SOURCE_FILE_PATTERNS);
	await lintLeg('scanner tarball leg on the packed package', packageDir, tarballPatterns);
	const packageJson = fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8');
	const nodeSource = pkg.n8n.nodes[0].replace(/^dist\//, '').replace(/\.js$/, '.ts');
	await plantedViolationFails(
		'source leg',
		packageJson,
		nodeSource,
		fs.readFileSync(path.join(packageRoot, nodeSource), 'utf8'),
		SOURCE_FILE_PATTERNS,
	);
	await plantedViolationFails(
		'tarball leg',
		packageJson,
		pkg.n8n.nodes[0],
		fs.readFileSync(path.join(packageDir, pkg.n8n.nodes[0]), 'utf8'),
		tarballPatterns,
	);
}

// ── provenance: what the publish workflow must ask for ────────────────────────────────────────
const workflowFile = path.join(root, '.github/workflows/publish.yml');
const workflow = fs.existsSync(workflowFile)
	? withoutComments(fs.readFileSync(workflowFile, 'utf8'))
	: '';
const publishJob = jobBlock(workflow, 'publish');
const publishLine = publishJob.split('\n').find((line) => /\bnpm publish\b/.test(line)) ?? '';
check(
	'publish workflow: a job `publish`, on a GitHub-hosted runner, triggered by version tags',
	publishJob !== '' &&
		/runs-on:\s*ubuntu-/.test(publishJob) &&
		/tags:\s*\[?\s*'v\*\.\*\.\*'/.test(workflow),
);
check(
	"publish job: permissions id-token: write (npm signs provenance with this run's OIDC identity)",
	/id-token:\s*write/.test(publishJob),
);
check(
	`publish job: npm publish with --provenance (${publishLine.trim() || 'no npm publish step'})`,
	/--provenance\b/.test(publishLine) || /NPM_CONFIG_PROVENANCE:\s*'?true/.test(publishJob),
);
check(
	'publish job: runs this release dry run before it publishes',
	publishJob.indexOf('release:dry-run') !== -1 &&
		publishJob.indexOf('release:dry-run') < publishJob.indexOf('npm publish'),
);
const repositoryUrl =
	typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
check(
	`package.json repository is a GitHub repository (${repositoryUrl || 'none'}): npm checks it against the publishing repository, the scanner fetches the source from it`,
	/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(repositoryUrl),
);
check(
	'package.json: not private, provenance not turned off',
	pkg.private !== true && pkg.publishConfig?.provenance !== false,
);

// ── the single-provider packages (scripts/build-packages.mjs builds them into build/packages/) ──
const { singlePackages } = await import(
	pathToFileURL(path.join(root, 'scripts/build-packages.mjs')).href
);
const singles = singlePackages();
const providerFolders = (manifest) => new Set(manifest.n8n.nodes.map((file) => path.dirname(file)));
check(
	`publish job: publishes every package in build/packages/ (${singles.length} single-provider packages) with the same flags`,
	/build\/packages/.test(publishJob) && /--provenance\b/.test(publishJob),
);
const singleTarballs = [];
/** Node display names, each with its package: n8n's installer keys installed nodes by display name. */
const displayNames = [];
// Read from the compiled description (loading it would need n8n-workflow beside the tarball).
const collectDisplayNames = (name, dir, manifest) => {
	for (const file of manifest.n8n.nodes) {
		const className = path.basename(file).split('.')[0];
		const typeName = className[0].toLowerCase() + className.slice(1);
		const text = fs.readFileSync(path.join(dir, file), 'utf8');
		const shown = new RegExp(`displayName: '([^']+)',\\s*name: '${typeName}'`).exec(text)?.[1];
		displayNames.push([shown ?? `(no display name in ${file})`, name]);
	}
};
collectDisplayNames(pkg.name, packageDir, pkg);
for (const { name, manifest, dir } of singles) {
	console.log(`\n── ${name}`);
	const built = [manifest.main, ...manifest.n8n.nodes, ...manifest.n8n.credentials].filter(
		(file) => !fs.existsSync(path.join(dir, file)),
	);
	if (
		!check(
			`${name}: built`,
			built.length === 0,
			built.length ? `missing: ${built.join(', ')}: run npm run build` : '',
		)
	)
		continue;
	check(
		`${name}: version ${manifest.version} (the combined package's), strict mode, no runtime dependencies`,
		manifest.version === pkg.version &&
			manifest.n8n.strict === true &&
			Object.keys(manifest.dependencies ?? {}).length === 0,
	);
	const lint = run(path.join(root, 'node_modules/.bin/n8n-node'), ['lint'], {
		cwd: dir,
		env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
	});
	check(
		`${name}: n8n-node lint (strict: default eslint.config.mjs)`,
		lint.status === 0,
		lint.status === 0 ? '' : lint.stdout + lint.stderr,
	);
	const cloudSupport = run(path.join(root, 'node_modules/.bin/n8n-node'), ['cloud-support'], {
		cwd: dir,
		env: { ...process.env, NO_COLOR: '1' },
	});
	const status = /Status:\s*(NOT eligible|eligible)/.exec(
		cloudSupport.stdout + cloudSupport.stderr,
	)?.[1];
	check(`${name}: n8n-node cloud-support: ${status ?? 'no status'}`, status === 'eligible');
	// The build wrote its examples (the combined ones that use only its nodes, with its node types):
	// the committed copies its README links to must be what the build makes of examples/.
	const examples = run('git', ['status', '--porcelain', '--', `packages/${name}/examples`], {
		cwd: root,
	});
	const exampleFiles = fs.existsSync(path.join(root, 'packages', name, 'examples'))
		? fs.readdirSync(path.join(root, 'packages', name, 'examples'))
		: [];
	check(
		`${name}: its examples (${exampleFiles.join(', ') || 'none'}) are committed as the build makes them`,
		exampleFiles.length > 0 && examples.status === 0 && examples.stdout.trim() === '',
		examples.stdout,
	);
	const packedSingle = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: dir });
	if (!check(`${name}: npm pack`, packedSingle.status === 0, packedSingle.stderr)) continue;
	const [info] = JSON.parse(packedSingle.stdout);
	const files = info.files.map((file) => file.path);
	// Only this provider: no other provider's node folder, no other credential.
	const own = providerFolders(manifest);
	const foreign = [...providerFolders(pkg)].filter((folder) => !own.has(folder));
	const foreignCredentials = pkg.n8n.credentials.filter(
		(file) => !manifest.n8n.credentials.includes(file),
	);
	const wrong = files.filter(
		(file) =>
			!allowed(file) ||
			foreign.some((folder) => file.startsWith(`${folder}/`)) ||
			foreignCredentials.includes(file),
	);
	const missing = [manifest.main, ...manifest.n8n.nodes, ...manifest.n8n.credentials].filter(
		(file) => !files.includes(file),
	);
	check(
		`${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(0)} kB, its provider's nodes and credential only (none of ${foreign.join(', ')})`,
		wrong.length === 0 && missing.length === 0,
		[
			wrong.length ? `not expected: ${wrong.join(', ')}` : '',
			missing.length ? `missing: ${missing.join(', ')}` : '',
		]
			.filter(Boolean)
			.join('\n'),
	);
	const extracted = path.join(work, `${name}-${manifest.version}`);
	fs.mkdirSync(extracted);
	run('tar', ['-xzf', path.join(work, info.filename), '-C', extracted, '--strip-components=1']);
	singleTarballs.push(path.join(work, info.filename));
	// n8n keeps one class per credential type name across packages: the combined package's must be
	// the same code, so whichever n8n loads last, both packages' nodes get the same form.
	const differing = manifest.n8n.credentials.filter(
		(file) =>
			!fs
				.readFileSync(path.join(extracted, file))
				.equals(fs.readFileSync(path.join(packageDir, file))),
	);
	check(
		`${name}: credential ${manifest.n8n.credentials.map((file) => path.basename(file, '.credentials.js')).join(', ')} byte-identical to the combined package's`,
		differing.length === 0,
		differing.join(', '),
	);
	// n8n's scanner finds a package in the source checkout its provenance names by package.json name:
	// here packages/<name>/ (its leg there lints that package.json; the code is the source leg's above).
	const committedRoot = packageRoot && findPackageRoot(sourceDir, name);
	check(
		`${name}: the source tree holds it where the scanner looks (${committedRoot ? path.relative(sourceDir, committedRoot) : 'not found'})`,
		committedRoot === path.join(sourceDir, 'packages', name),
	);
	if (legsKnown && committedRoot)
		await lintLeg(
			`${name}: scanner source leg on the source tree's packages/${name}`,
			committedRoot,
			SOURCE_FILE_PATTERNS,
		);
	collectDisplayNames(name, extracted, manifest);
	if (legsKnown) {
		await lintLeg(`${name}: scanner source leg on its sources`, dir, SOURCE_FILE_PATTERNS);
		await lintLeg(`${name}: scanner tarball leg on its packed package`, extracted, tarballPatterns);
	}
}

const shared = displayNames.filter(
	([shown], i) => displayNames.findIndex(([other]) => other === shown) !== i,
);
check(
	`node display names unique across the ${singles.length + 1} packages (n8n's installer refuses a second node of one name): ${displayNames.map(([shown]) => shown).join(', ')}`,
	shared.length === 0 && displayNames.every(([shown]) => !shown.startsWith('(')),
	shared.map(([shown, name]) => `${shown} (${name}) is taken`).join('\n'),
);

// ── release only ──────────────────────────────────────────────────────────────────────────────
if (release) {
	const tag =
		tagArg ?? (process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined);
	const wanted = `v${pkg.version}`;
	if (tag) {
		check(`tag ${tag} is v<package.json version> (${wanted})`, tag === wanted);
	} else {
		const existing = run('git', [
			'rev-parse',
			'-q',
			'--verify',
			`refs/tags/${wanted}^{commit}`,
		]).stdout.trim();
		const head = run('git', ['rev-parse', 'HEAD']).stdout.trim();
		check(
			`tag to push: ${wanted} (${existing ? (existing === head ? 'exists, on HEAD' : 'exists on another commit') : 'not created yet'})`,
			!existing || existing === head,
		);
	}
	const status = run('git', ['status', '--porcelain']).stdout.trimEnd();
	check('working tree committed (the source leg linted what the tag names)', status === '', status);
	const changelog = fs.existsSync(path.join(root, 'CHANGELOG.md'))
		? fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')
		: '';
	check(
		`CHANGELOG.md has a section for ${pkg.version}`,
		new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm').test(changelog),
	);
	const dryRun = run('npm', [
		'publish',
		tarball,
		'--dry-run',
		'--provenance',
		'--access',
		'public',
	]);
	check(
		'npm publish --dry-run --provenance --access public (the tarball above)',
		dryRun.status === 0,
		dryRun.status === 0 ? '' : dryRun.stderr,
	);
	for (const single of singleTarballs) {
		const singleDryRun = run('npm', [
			'publish',
			single,
			'--dry-run',
			'--provenance',
			'--access',
			'public',
		]);
		check(
			`npm publish --dry-run --provenance --access public ${path.basename(single)}`,
			singleDryRun.status === 0,
			singleDryRun.status === 0 ? '' : singleDryRun.stderr,
		);
	}
}

finish();

function finish() {
	fs.rmSync(work, { recursive: true, force: true });
	const failed = results.filter((result) => !result.ok).length;
	console.log(
		`\nverify-package: ${results.length - failed} checks passed, ${failed} failed${release ? ' (release dry run)' : ''}`,
	);
	process.exit(failed === 0 ? 0 : 1);
}

function withoutComments(yaml) {
	return yaml.replace(/(^|\s)#.*$/gm, '$1');
}

/** The lines of one job under `jobs:` (two-space indentation), or ''. */
function jobBlock(yaml, job) {
	const lines = yaml.split('\n');
	const start = lines.findIndex((line) => line === `  ${job}:`);
	if (start === -1) return '';
	const end = lines.findIndex((line, index) => index > start && /^ {2}\S|^\S/.test(line));
	return lines.slice(start, end === -1 ? undefined : end).join('\n');
}
