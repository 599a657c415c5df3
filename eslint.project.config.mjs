// The rules we lint with besides `n8n-node lint` (whose config, eslint.config.mjs, strict mode keeps
// exactly as @n8n/node-cli ships it): `npm run lint` runs both. This one lints every .ts and .json
// file, tests and fixtures included, with @n8n/eslint-plugin-community-nodes (recommended) and
// eslint-plugin-n8n-nodes-base (community rules on package.json, credentials rules on credentials/,
// nodes rules on nodes/), all without node-cli's and the scanner's off-overrides.
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const tsFiles = ['**/*.ts'];
const jsonFiles = ['**/*.json'];

export default [
	{
		ignores: [
			'node_modules/**',
			'dist/**',
			'coverage/**',
			'.cache/**',
			'.tmp/**',
			'build/**',
			'package-lock.json',
		],
	},
	// A disable comment is judged by the `n8n-node lint` run, which has every rule: this config has a
	// subset, so it would call a comment for one of node-cli's rules unused.
	{ linterOptions: { reportUnusedDisableDirectives: 'off' } },
	{
		files: tsFiles,
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		// Registered, none turned on: node-cli's config enables its rules, and a disable comment
		// for one of them must resolve here too.
		plugins: { '@typescript-eslint': tseslint.plugin },
	},
	{
		files: jsonFiles,
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: [...tsFiles, ...jsonFiles] },
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Documented by the plugin as "only applicable to nodes in the main repository" (a docs slug);
			// community credentials link to the provider's own docs with a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.nodes.rules,
	},
	// Product code reads a function at a glance (issue 28): none over 40 lines of code.
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
		},
	},
];
