// The workflows `npm run screenshots` imports besides the waterfall example: what each picture
// needs to show, built from the shipped examples where one exists.
import fs from 'node:fs';
import path from 'node:path';

import { credentialRef } from '../test/e2e/lib/fixtures.mjs';
import { REPO_ROOT } from '../test/e2e/lib/n8n-instance.mjs';

const PACKAGE = 'n8n-nodes-bulk-enrichment';
const CONTINUE = 'continueRegularOutput';
// The version the nodes panel adds (the Explorium node's defaultVersion).
const EXPLORIUM_VERSION = 3;

export const HINTS_WORKFLOW_ID = 'docsWfHints00001';
export const DEFAULTS_WORKFLOW_ID = 'docsWfDefaults01';
export const PRONTO_BULK_WORKFLOW_ID = 'docsWfProntoBulk';
export const PRONTO_TRIGGER_WORKFLOW_ID = 'docsWfProntoTrig';

/** Names of the nodes the pictures open. */
export const NODES = {
	match: 'Explorium: Match',
	bulkRun: 'ExactBuyer: Bulk Enrich',
	enrichContacts: 'Explorium: Enrich Contacts',
	prontoBulk: 'Pronto: Bulk Enrich',
};

// Two found, one the simulator does not know (`nomatch`), one that is not an email (an error item
// under On Error → Continue).
const CONTACTS = [
	{
		full_name: 'Ada Lovelace',
		company_name: 'Analytical Engines',
		email: 'ada.lovelace@analytical.example',
	},
	{ full_name: 'Grace Hopper', company_name: 'Navy Labs', email: 'grace.hopper@navy.example' },
	{ full_name: 'Nobody Nomatch', company_name: 'Nowhere', email: 'nobody.nomatch@nowhere.example' },
	{ full_name: 'Charles Babbage', company_name: 'Difference Engines', email: 'not-an-email' },
];

const node = (name, type, position, parameters = {}, extra = {}) => ({
	id: `${name}-id`.replace(/\W+/g, '-'),
	name,
	type,
	typeVersion: 1,
	position,
	parameters,
	...extra,
});

/** Start → contacts (one item each) → Explorium Match, and → ExactBuyer Bulk Enrich under On Error → Continue. */
export function hintsWorkflow() {
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', [0, 100]),
		{
			...node('Contacts', 'n8n-nodes-base.set', [220, 100], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ contacts: CONTACTS }, null, 1),
				options: {},
			}),
			typeVersion: 3.4,
		},
		node('One Item per Contact', 'n8n-nodes-base.splitOut', [440, 100], {
			fieldToSplitOut: 'contacts',
			options: {},
		}),
		node(
			NODES.match,
			`${PACKAGE}.explorium`,
			[700, 0],
			{
				resource: 'prospect',
				operation: 'match',
				fullName: '={{ $json.full_name }}',
				companyName: '={{ $json.company_name }}',
			},
			{
				credentials: credentialRef('bulkEnrichmentExploriumApi'),
				onError: CONTINUE,
				typeVersion: EXPLORIUM_VERSION,
			},
		),
		node(
			NODES.bulkRun,
			`${PACKAGE}.exactBuyer`,
			[700, 220],
			{
				resource: 'contact',
				operation: 'bulkEnrich',
				fieldType: 'email',
				value: '={{ $json.email }}',
			},
			{ credentials: credentialRef('bulkEnrichmentExactBuyerApi'), onError: CONTINUE },
		),
	];
	const to = (...targets) => ({
		main: [targets.map((t) => ({ node: t, type: 'main', index: 0 }))],
	});
	const connections = {
		Start: to('Contacts'),
		Contacts: to('One Item per Contact'),
		'One Item per Contact': to(NODES.match, NODES.bulkRun),
	};
	return {
		id: HINTS_WORKFLOW_ID,
		name: 'Docs: execution hints',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** Explorium Enrich Contacts as the nodes panel adds it: nothing set but the operation. */
export function defaultsWorkflow() {
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', [0, 0]),
		node(
			NODES.enrichContacts,
			`${PACKAGE}.explorium`,
			[240, 0],
			{ resource: 'prospect', operation: 'enrichContacts' },
			{ credentials: credentialRef('bulkEnrichmentExploriumApi'), typeVersion: EXPLORIUM_VERSION },
		),
	];
	const connections = {
		Start: { main: [[{ node: NODES.enrichContacts, type: 'main', index: 0 }]] },
	};
	return {
		id: DEFAULTS_WORKFLOW_ID,
		name: 'Docs: Explorium defaults',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** A shipped example with the simulator's credential on this package's nodes (others keep none). */
function example(file, id, credentials) {
	const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
	const nodes = workflow.nodes.map((n) => {
		const type = Object.entries(credentials).find(
			([nodeType]) => n.type === `${PACKAGE}.${nodeType}`,
		)?.[1];
		return type ? { ...n, credentials: credentialRef(type) } : n;
	});
	return { ...workflow, id, active: false, nodes };
}

/** The Pronto pattern: workflow A sends with Custom (Bulk Enrich), workflow B receives (Pronto Trigger). */
export function prontoWorkflows() {
	return {
		bulk: example('pipedrive-pronto-bulk-enrich.json', PRONTO_BULK_WORKFLOW_ID, {
			pronto: 'bulkEnrichmentProntoApi',
		}),
		trigger: example('pronto-trigger-pipedrive-update.json', PRONTO_TRIGGER_WORKFLOW_ID, {
			prontoTrigger: 'bulkEnrichmentProntoApi',
		}),
	};
}
