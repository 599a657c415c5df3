/** Two jest projects: pure unit tests, and workflow tests that run real n8n-core executions over HTTP. */
const shared = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	setupFiles: ['<rootDir>/test/setup/scratch-user-folder.cjs'],
};

module.exports = {
	projects: [
		{ ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...shared, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts'] },
	],
};
