/** Jest projects: pure unit tests, workflow tests (real n8n-core executions over HTTP), benchmarks. */
const shared = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFiles: ['<rootDir>/test/setup/scratch-user-folder.cjs'],
};

module.exports = {
	projects: [
		{ ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{
			...shared,
			displayName: 'workflow',
			testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/setup/scaled-explorium-window.ts'],
		},
		// Benchmarks print figures; `npm run bench` only, never part of `npm test`.
		{ ...shared, displayName: 'bench', testMatch: ['<rootDir>/bench/**/*.bench.ts'] },
	],
};
