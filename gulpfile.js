// Copies icons and node codex files (*.node.json) next to the compiled files: n8n resolves `file:`
// icon paths and reads a node's categories from there.
const { src, dest, task } = require('gulp');

task('build:assets', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);
