// Copies icons and node codex files (*.node.json) next to the compiled files (n8n resolves `file:`
// icon paths and reads a node's categories there), and the package entry point index.js into dist/.
const { src, dest, task } = require('gulp');

task('build:assets', () =>
	src(['index.js', 'nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist')),
);
