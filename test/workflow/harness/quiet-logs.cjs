// @ts-check
// n8n-core's ErrorReporter logs every node error (with its stack) through n8n's winston logger,
// as a real n8n does. In tests that is noise: default the log level to "silent" unless the
// developer chose one (N8N_LOG_LEVEL=error npx jest … shows them again). n8n reads the level
// when its logger is first built, i.e. at the first execution, after this module has run.
if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';

module.exports = {};
