// Reads the repository's own files for the panel tests (docs pages and their anchors, codex links, imports).
// CommonJS: the node lint rules, which forbid fs and path in the package's code, apply to .ts files.
const { existsSync, readdirSync, readFileSync } = require('fs');
const { join, posix } = require('path');

const ROOT = join(__dirname, '../../..');

/** @param {string} path relative to the repository root */
function readRepoFile(path) {
	return readFileSync(join(ROOT, path), 'utf8');
}

/** @param {string} path relative to the repository root */
function repoFileExists(path) {
	return existsSync(join(ROOT, path));
}

/**
 * The repository path a relative Markdown link of `fromFile` points at.
 * @param {string} fromFile
 * @param {string} linkPath
 */
function resolveRepoLink(fromFile, linkPath) {
	return linkPath ? posix.normalize(posix.join(posix.dirname(fromFile), linkPath)) : fromFile;
}

/**
 * Files under a folder of the repository whose names end with `suffix`, relative to the root.
 * @param {string} directory
 * @param {string} suffix
 * @returns {string[]}
 */
function listRepoFiles(directory, suffix) {
	return readdirSync(join(ROOT, directory), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(suffix))
		.map((file) => join(directory, file));
}

/**
 * A subtitle expression's value for these parameters, as the editor computes it: its body is plain
 * JavaScript over $parameter.
 * @param {string} expressionBody
 * @param {Record<string, string>} parameters
 * @returns {unknown}
 */
function evaluateSubtitle(expressionBody, parameters) {
	return new Function('$parameter', `return (${expressionBody});`)(parameters);
}

module.exports = { readRepoFile, repoFileExists, resolveRepoLink, listRepoFiles, evaluateSubtitle };
