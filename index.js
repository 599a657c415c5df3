// The package entry point (copied to dist/ by the build). n8n loads the nodes and credentials listed
// in package.json's `n8n` section, so nothing is exported here.
module.exports = {};
