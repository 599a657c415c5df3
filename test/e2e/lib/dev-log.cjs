// @ts-check
'use strict';
// What `npm run dev` shows of n8n's log (the whole log stays in a file).

/** Our package's lines: its name, its node types or its providers. */
const OURS = /bulk-?enrichment|explorium|pronto|exactbuyer/i;

/**
 * What of one line of n8n's log (JSON lines, N8N_LOG_FORMAT=json; a few plain ones from outside its
 * logger) is worth the terminal: this package's lines and n8n's warnings and errors, first line only
 * (no stack trace), each text once. Null: the line stays in the log file only.
 * @param {string} line
 * @param {Set<string>} [seen] texts shown so far
 * @returns {string | null}
 */
function logLineToShow(line, seen = new Set()) {
	/** @type {{level?: unknown, message?: unknown} | null} */
	let entry = null;
	try {
		entry = JSON.parse(line);
	} catch {
		/* a plain line */
	}
	const level =
		typeof entry?.level === 'string'
			? entry.level
			: /^\s*(?:\w*error\b|warn(?:ing)?\b)/i.test(line)
				? 'error'
				: 'info';
	const message = String(entry?.message ?? line);
	let text = message.split('\n')[0].trim();
	// n8n's error reporter logs a bare class name and a stack: name where in this package it came from.
	const ourFrame = /^\w*Error$/.test(text)
		? /^\s*at (\S+) \(.*?bulk-enrichment\/(\S+?)\)$/m.exec(message)
		: null;
	if (ourFrame) text = `${text} at ${ourFrame[1]} (${ourFrame[2]})`;
	const ours = OURS.test(entry ? JSON.stringify(entry) : line);
	if (!text || /^at\s/.test(text) || (!ours && !/^(warn|error)/.test(level)) || seen.has(text))
		return null;
	seen.add(text);
	return level === 'info' ? text : `${level}: ${text}`;
}

module.exports = { logLineToShow };
