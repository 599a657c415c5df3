// n8n-core writes an encryption key under N8N_USER_FOLDER: give every jest worker a scratch one.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bulk-enrichment-jest-'));
}
