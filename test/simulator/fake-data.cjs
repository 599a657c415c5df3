// @ts-check
'use strict';
/**
 * Deterministic fake data for the provider simulator. Everything here is a pure function of its
 * input (sha1/md5 of a normalised string), so tests can predict what the simulator answers by
 * calling the same functions.
 *
 * Deterministic rules (see README.md):
 * - any input value containing `nomatch` (case-insensitive) → no match (Explorium `prospect_id`/
 *   `business_id: null`, ExactBuyer `enriched_contact: null` / 404, Pronto not-found result when the
 *   lastname contains it);
 * - Explorium: any match input value containing `nodata` → matched, but the id ends in `0000`;
 *   ids ending in `0000` are unknown to the bulk enrich endpoints (their rows are omitted).
 *   Ids derived from other inputs never end in `0000`.
 */
const crypto = require('node:crypto');
const { askedPersonForLookup } = require('./asked-person.cjs');

/** @typedef {import('./asked-person.cjs').AskedPerson} AskedPerson */

/** @param {string} text */
function sha1(text) {
	return crypto.createHash('sha1').update(text, 'utf8').digest('hex');
}

/** @param {string} text */
function md5(text) {
	return crypto.createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * An unsigned integer taken from a hex digest (8 hex characters at `offset`).
 * @param {string} hex
 * @param {number} offset
 */
function hexInt(hex, offset) {
	const start = offset % Math.max(1, hex.length - 8);
	return parseInt(hex.slice(start, start + 8), 16);
}

/**
 * @template T
 * @param {readonly T[]} list
 * @param {string} hex
 * @param {number} offset
 * @returns {T}
 */
function pick(list, hex, offset) {
	return /** @type {T} */ (list[hexInt(hex, offset) % list.length]);
}

/** @param {unknown} value */
function containsMarker(value, /** @type {string} */ marker) {
	return typeof value === 'string' && value.toLowerCase().includes(marker);
}

/**
 * An id that never ends in `0000` (that suffix is reserved for "unknown to bulk enrich").
 * @param {string} hex
 */
function avoidUnknownSuffix(hex) {
	return hex.endsWith('0000') ? `${hex.slice(0, -1)}1` : hex;
}

/** @param {string} hex */
function withUnknownSuffix(hex) {
	return `${hex.slice(0, -4)}0000`;
}

// ---------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------

/** @type {ReadonlyArray<{name: string, gender: 'male' | 'female'}>} */
const FIRST_NAMES = [
	{ name: 'Alice', gender: 'female' },
	{ name: 'Bruno', gender: 'male' },
	{ name: 'Chloe', gender: 'female' },
	{ name: 'Daniel', gender: 'male' },
	{ name: 'Elena', gender: 'female' },
	{ name: 'Felix', gender: 'male' },
	{ name: 'Grace', gender: 'female' },
	{ name: 'Hugo', gender: 'male' },
	{ name: 'Ines', gender: 'female' },
	{ name: 'Jonas', gender: 'male' },
	{ name: 'Karin', gender: 'female' },
	{ name: 'Liam', gender: 'male' },
	{ name: 'Maya', gender: 'female' },
	{ name: 'Noah', gender: 'male' },
	{ name: 'Olivia', gender: 'female' },
	{ name: 'Pablo', gender: 'male' },
];

const LAST_NAMES = [
	'Anderson',
	'Baker',
	'Carter',
	'Dubois',
	'Evans',
	'Fischer',
	'Garcia',
	'Hansen',
	'Ito',
	'Jensen',
	'Kowalski',
	'Lopez',
	'Martin',
	'Novak',
	'Okafor',
	'Patel',
	'Rossi',
	'Schmidt',
	'Tanaka',
	'Weber',
];

/** @type {ReadonlyArray<{name: string, domain: string, industry: string, naics: string, naicsDescription: string, sic: string, sicDescription: string, size: string, employees: string, revenue: string}>} */
const COMPANIES = [
	{
		name: 'Acme Analytics',
		domain: 'acme-analytics.test',
		industry: 'software development',
		naics: '511210',
		naicsDescription: 'Software Publishers',
		sic: '7372',
		sicDescription: 'Prepackaged software',
		size: '51-200',
		employees: '51-200',
		revenue: '10M-25M',
	},
	{
		name: 'Blue Harbor Logistics',
		domain: 'blueharbor.test',
		industry: 'transportation, logistics, supply chain and storage',
		naics: '488510',
		naicsDescription: 'Freight Transportation Arrangement',
		sic: '4731',
		sicDescription: 'Arrangement of transportation of freight and cargo',
		size: '201-500',
		employees: '201-500',
		revenue: '50M-100M',
	},
	{
		name: 'Cedar Health',
		domain: 'cedarhealth.test',
		industry: 'hospitals and health care',
		naics: '621111',
		naicsDescription: 'Offices of Physicians',
		sic: '8011',
		sicDescription: 'Offices and clinics of doctors of medicine',
		size: '1001-5000',
		employees: '1001-5000',
		revenue: '500M-1B',
	},
	{
		name: 'Delta Robotics',
		domain: 'deltarobotics.test',
		industry: 'industrial machinery manufacturing',
		naics: '333249',
		naicsDescription: 'Other Industrial Machinery Manufacturing',
		sic: '3569',
		sicDescription: 'General industrial machinery',
		size: '11-50',
		employees: '11-50',
		revenue: '1M-5M',
	},
	{
		name: 'Evergreen Finance',
		domain: 'evergreenfin.test',
		industry: 'financial services',
		naics: '523930',
		naicsDescription: 'Investment Advice',
		sic: '6282',
		sicDescription: 'Investment advice',
		size: '501-1000',
		employees: '501-1000',
		revenue: '100M-500M',
	},
	{
		name: 'Foxglove Media',
		domain: 'foxglove.test',
		industry: 'online audio and video media',
		naics: '516210',
		naicsDescription: 'Media Streaming Distribution Services',
		sic: '7812',
		sicDescription: 'Motion picture and video production',
		size: '51-200',
		employees: '51-200',
		revenue: '5M-10M',
	},
	{
		name: 'Granite Works',
		domain: 'graniteworks.test',
		industry: 'construction',
		naics: '236220',
		naicsDescription: 'Commercial and Institutional Building Construction',
		sic: '1542',
		sicDescription: 'General contractors-nonresidential buildings',
		size: '201-500',
		employees: '201-500',
		revenue: '25M-50M',
	},
	{
		name: 'Helios Energy',
		domain: 'heliosenergy.test',
		industry: 'renewable energy power generation',
		naics: '221114',
		naicsDescription: 'Solar Electric Power Generation',
		sic: '4911',
		sicDescription: 'Electric services',
		size: '5001-10000',
		employees: '5001-10000',
		revenue: '1B-10B',
	},
];

/** @type {ReadonlyArray<{city: string, region: string, country: string, countryCode: string, street: string, zip: string}>} */
const PLACES = [
	{
		city: 'austin',
		region: 'texas',
		country: 'united states',
		countryCode: 'US',
		street: '100 congress ave',
		zip: '78701',
	},
	{
		city: 'boston',
		region: 'massachusetts',
		country: 'united states',
		countryCode: 'US',
		street: '1 federal st',
		zip: '02110',
	},
	{
		city: 'chicago',
		region: 'illinois',
		country: 'united states',
		countryCode: 'US',
		street: '233 s wacker dr',
		zip: '60606',
	},
	{
		city: 'denver',
		region: 'colorado',
		country: 'united states',
		countryCode: 'US',
		street: '1700 lincoln st',
		zip: '80203',
	},
	{
		city: 'seattle',
		region: 'washington',
		country: 'united states',
		countryCode: 'US',
		street: '400 broad st',
		zip: '98109',
	},
	{
		city: 'london',
		region: 'england',
		country: 'united kingdom',
		countryCode: 'GB',
		street: '30 st mary axe',
		zip: 'EC3A 8BF',
	},
	{
		city: 'paris',
		region: 'ile-de-france',
		country: 'france',
		countryCode: 'FR',
		street: '5 avenue anatole france',
		zip: '75007',
	},
	{
		city: 'berlin',
		region: 'berlin',
		country: 'germany',
		countryCode: 'DE',
		street: 'pariser platz 1',
		zip: '10117',
	},
];

/** @type {ReadonlyArray<{title: string, department: string, level: string}>} */
const JOBS = [
	{ title: 'Chief Executive Officer', department: 'c-suite', level: 'cxo' },
	{ title: 'VP of Sales', department: 'sales', level: 'vp' },
	{ title: 'Head of Marketing', department: 'marketing', level: 'director' },
	{ title: 'Software Engineer', department: 'engineering', level: 'senior non-managerial' },
	{ title: 'Account Executive', department: 'sales', level: 'non-managerial' },
	{ title: 'Operations Manager', department: 'operations', level: 'manager' },
	{ title: 'Data Scientist', department: 'data', level: 'senior non-managerial' },
	{ title: 'Chief Financial Officer', department: 'finance', level: 'cxo' },
];

const SCHOOLS = [
	'university of texas',
	'boston university',
	'university of illinois',
	'university of washington',
	'imperial college london',
	'sorbonne university',
];
const AGE_GROUPS = ['18-25', '26-30', '31-40', '41-50', '51-60'];
const TECHNOLOGIES = [
	{ category: 'analytics', technologies: ['Google Analytics', 'Mixpanel', 'Amplitude'] },
	{ category: 'crm', technologies: ['Salesforce', 'HubSpot', 'Pipedrive'] },
	{ category: 'cloud', technologies: ['Amazon Web Services', 'Google Cloud', 'Microsoft Azure'] },
	{ category: 'marketing automation', technologies: ['Marketo', 'Mailchimp', 'Braze'] },
];
const FUNDING_ROUNDS = ['seed', 'series_a', 'series_b', 'series_c', 'private_equity'];
const INVESTORS = [
	'Northwind Ventures',
	'Summit Capital',
	'Orchard Partners',
	'Lighthouse Fund',
	'Riverstone Equity',
];
const PERSONAL_DOMAINS = [
	'gmail.com',
	'yahoo.com',
	'hotmail.com',
	'outlook.com',
	'icloud.com',
	'proton.me',
];

/** @param {string} text */
function slug(text) {
	return text
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '');
}

/**
 * A US-style E.164 number from a hex digest (+1 555 prefix range: fictional numbers).
 * @param {string} hex
 * @param {number} offset
 * @param {string} [countryPrefix]
 */
function phoneFrom(hex, offset, countryPrefix = '+1') {
	const digits = String(hexInt(hex, offset) % 10000).padStart(4, '0');
	const area = 200 + (hexInt(hex, offset + 4) % 700);
	if (countryPrefix === '+1') return `+1${area}555${digits}`;
	return `${countryPrefix}${area}55${digits}`;
}

/**
 * Where the person a request names works: the company it names, else the one its email's domain
 * names, else the one their name picks. Every provider places a named person alike (a LinkedIn
 * lookup at ExactBuyer and a match at Explorium), and never at a company other than their email's.
 * @param {AskedPerson} asked
 */
function companyOfAsked(asked) {
	const byName = pick(COMPANIES, sha1(`company|${asked.first} ${asked.last}`.toLowerCase()), 0);
	const wanted = asked.company?.trim().toLowerCase();
	const known = COMPANIES.find(
		(c) =>
			(wanted ? c.name.toLowerCase() === wanted : true) &&
			(asked.domain ? c.domain === asked.domain : !!wanted),
	);
	if (known) return known;
	if (!asked.company && !asked.domain) return byName;
	const name = asked.company ?? companyNameOfDomain(/** @type {string} */ (asked.domain));
	return { ...byName, name, domain: asked.domain ?? `${slug(name)}.com` };
}

/**
 * `acme-analytics.example` → Acme Analytics.
 * @param {string} domain
 */
function companyNameOfDomain(domain) {
	return (domain.split('.')[0] ?? domain)
		.split('-')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

/**
 * A person derived from a seed string; with `asked`, the person the request named keeps that name
 * and works where companyOfAsked says, with no gender the name would have to be guessed from.
 * @param {string} seed
 * @param {AskedPerson | null} [asked]
 */
function personFor(seed, asked) {
	const hex = sha1(`person|${seed}`);
	const fake = {
		first: pick(FIRST_NAMES, hex, 0),
		last: pick(LAST_NAMES, hex, 4),
		company: pick(COMPANIES, hex, 8),
	};
	const place = pick(PLACES, hex, 12);
	const job = pick(JOBS, hex, 16);
	if (!asked) return { hex, ...fake, place, job };
	/** @type {{name: string, gender: 'male' | 'female' | null}} */
	const first = { name: asked.first, gender: null };
	return { hex, first, last: asked.last, company: companyOfAsked(asked), place, job };
}

// ---------------------------------------------------------------------------------------------
// Explorium
// ---------------------------------------------------------------------------------------------

/** Fields of a prospect match input, in the order the API echoes them. */
const PROSPECT_INPUT_FIELDS = /** @type {const} */ ([
	'business_id',
	'full_name',
	'company_name',
	'email',
	'phone_number',
	'linkedin',
]);
/** Fields of a business match input, in the order the simulator echoes them. */
const BUSINESS_INPUT_FIELDS = /** @type {const} */ (['name', 'domain', 'url', 'linkedin_url']);

/** @param {unknown} value */
function present(value) {
	return typeof value === 'string' && value.trim() !== '';
}

/** @param {string} value */
function normaliseLinkedin(value) {
	return value
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/^www\./, '')
		.replace(/\/+$/, '');
}

/** @param {string} value */
function normaliseDomain(value) {
	return value
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/^www\./, '')
		.replace(/[/?#].*$/, '');
}

/**
 * The normalised key a prospect match input hashes to: present fields only, lower-cased, trimmed,
 * whitespace collapsed, phone reduced to digits, linkedin without scheme/www/trailing slash.
 * @param {Record<string, unknown>} input
 */
function prospectMatchKey(input) {
	/** @type {string[]} */
	const parts = [];
	for (const field of [...PROSPECT_INPUT_FIELDS].sort()) {
		const value = input[field];
		if (!present(value)) continue;
		let text = String(value).trim().toLowerCase().replace(/\s+/g, ' ');
		if (field === 'phone_number') text = text.replace(/\D/g, '');
		if (field === 'linkedin') text = normaliseLinkedin(text);
		parts.push(`${field}=${text}`);
	}
	return parts.join('|');
}

/**
 * How the simulator's prospect match treats one input.
 * @param {Record<string, unknown>} input
 * @returns {{kind: 'match', prospect_id: string} | {kind: 'nomatch'} | {kind: 'error', error: string, error_type: string}}
 */
function prospectMatchOutcome(input) {
	const has = (/** @type {string} */ f) => present(input[f]);
	if (has('full_name') && !has('company_name')) {
		return {
			kind: 'error',
			error: 'full_name must be accompanied by company_name',
			error_type: 'validation',
		};
	}
	const usable =
		has('email') ||
		has('phone_number') ||
		has('linkedin') ||
		(has('full_name') && has('company_name'));
	if (!usable) {
		return {
			kind: 'error',
			error:
				'at least one of email, phone_number, linkedin or full_name with company_name is required',
			error_type: 'validation',
		};
	}
	const values = PROSPECT_INPUT_FIELDS.map((f) => input[f]);
	if (values.some((v) => containsMarker(v, 'nomatch'))) return { kind: 'nomatch' };
	const hex = sha1(`prospect|${prospectMatchKey(input)}`);
	if (values.some((v) => containsMarker(v, 'nodata')))
		return { kind: 'match', prospect_id: withUnknownSuffix(hex) };
	return { kind: 'match', prospect_id: avoidUnknownSuffix(hex) };
}

/**
 * The `prospect_id` the simulator's `POST /v1/prospects/match` returns for this input:
 * a 40-hex id, or null (no match, or an input the API answers with an error row).
 * @param {Record<string, unknown>} input
 * @returns {string | null}
 */
function prospectIdFor(input) {
	const outcome = prospectMatchOutcome(input);
	return outcome.kind === 'match' ? outcome.prospect_id : null;
}

/**
 * The normalised key a business match input hashes to: the domain (from `domain`, else `url`),
 * else the LinkedIn URL, else the name.
 * @param {Record<string, unknown>} input
 */
function businessMatchKey(input) {
	if (present(input.domain)) return `domain=${normaliseDomain(String(input.domain))}`;
	if (present(input.url)) return `domain=${normaliseDomain(String(input.url))}`;
	if (present(input.linkedin_url))
		return `linkedin=${normaliseLinkedin(String(input.linkedin_url))}`;
	if (present(input.name))
		return `name=${String(input.name).trim().toLowerCase().replace(/\s+/g, ' ')}`;
	return '';
}

/**
 * @param {Record<string, unknown>} input
 * @returns {{kind: 'match', business_id: string} | {kind: 'nomatch'} | {kind: 'error', error: string, error_type: string}}
 */
function businessMatchOutcome(input) {
	const key = businessMatchKey(input);
	if (key === '') {
		return {
			kind: 'error',
			error: 'at least one of name, domain, url or linkedin_url is required',
			error_type: 'validation',
		};
	}
	const values = BUSINESS_INPUT_FIELDS.map((f) => input[f]);
	if (values.some((v) => containsMarker(v, 'nomatch'))) return { kind: 'nomatch' };
	const hex = md5(`business|${key}`);
	if (values.some((v) => containsMarker(v, 'nodata')))
		return { kind: 'match', business_id: withUnknownSuffix(hex) };
	return { kind: 'match', business_id: avoidUnknownSuffix(hex) };
}

/**
 * The `business_id` the simulator's `POST /v1/businesses/match` returns for this input (32 hex or null).
 * @param {Record<string, unknown>} input
 * @returns {string | null}
 */
function businessIdFor(input) {
	const outcome = businessMatchOutcome(input);
	return outcome.kind === 'match' ? outcome.business_id : null;
}

/**
 * Whether the bulk enrich endpoints know this id (ids ending in `0000` are unknown: row omitted).
 * @param {string} id
 */
function isKnownId(id) {
	return !id.endsWith('0000');
}

/**
 * `data` of a `prospects/contacts_information/bulk_enrich` row.
 * @param {string} prospectId
 * @param {{contact_types?: string[]} | null} [parameters]
 * @param {AskedPerson | null} [asked] whom the match that gave this id asked for (asked-person.cjs)
 */
function contactsInformationFor(prospectId, parameters, asked) {
	const p = personFor(`explorium-prospect|${prospectId}`, asked);
	const types =
		parameters && Array.isArray(parameters.contact_types) && parameters.contact_types.length > 0
			? parameters.contact_types
			: ['email', 'phone'];
	const professional = `${slug(p.first.name)}.${slug(p.last)}@${p.company.domain}`;
	const personal = `${slug(p.first.name)}${slug(p.last)}${hexInt(p.hex, 20) % 100}@${pick(PERSONAL_DOMAINS, p.hex, 24)}`;
	/** @type {Record<string, unknown>} */
	const data = {};
	if (types.includes('email')) {
		data.emails = [
			{ address: personal, type: 'personal' },
			{ address: professional, type: 'professional' },
		];
		data.professions_email = professional;
		data.professional_email_status = pick(['valid', 'valid', 'catch-all', 'invalid'], p.hex, 28);
	}
	if (types.includes('phone')) {
		const mobile = phoneFrom(p.hex, 30);
		data.phone_numbers = [{ phone_number: phoneFrom(p.hex, 32) }, { phone_number: mobile }];
		data.mobile_phone = mobile;
	}
	return data;
}

/**
 * `data` of a v2 `prospects/contact_information/enrich` row: v1's contacts with the GA renames
 * (`professions_email` → `professional_email`) and without the `emails` list v2 removed.
 * @param {string} prospectId
 * @param {{contact_types?: string[]} | null} [parameters]
 * @param {AskedPerson | null} [asked]
 */
function contactInformationV2For(prospectId, parameters, asked) {
	const {
		emails,
		professions_email: professional,
		...rest
	} = contactsInformationFor(prospectId, parameters, asked);
	return professional === undefined ? rest : { professional_email: professional, ...rest };
}

/**
 * Whether the v2 enrich endpoints answer this id's row with `data` as a list of one object (the
 * v2 schema allows an object or a list): a third of the ids, by hash, so both shapes are exercised.
 * @param {string} id
 */
function v2DataIsList(id) {
	return hexInt(sha1(`v2-data-shape|${id}`), 0) % 3 === 0;
}

/**
 * `data` of a `prospects/profiles/bulk_enrich` row (a reduced version of the documented example).
 * @param {string} prospectId
 * @param {AskedPerson | null} [asked] whom the match that gave this id asked for (asked-person.cjs)
 */
function profileFor(prospectId, asked) {
	const p = personFor(`explorium-prospect|${prospectId}`, asked);
	const fullName = `${p.first.name} ${p.last}`;
	const linkedin = `https://linkedin.com/in/${slug(p.first.name)}-${slug(p.last)}-${p.hex.slice(0, 6)}`;
	return {
		full_name: fullName,
		country_name: p.place.country,
		region_name: p.place.region,
		city: p.place.city,
		linkedin,
		experience: [
			{
				company: { name: p.company.name.toLowerCase(), website: p.company.domain },
				title: { levels: [p.job.level], name: p.job.title.toLowerCase() },
				start_date: `${2010 + (hexInt(p.hex, 22) % 14)}-0${1 + (hexInt(p.hex, 23) % 9)}`,
				is_primary: true,
			},
		],
		skills: null,
		interests: null,
		age_group: pick(AGE_GROUPS, p.hex, 26),
		education: [
			{
				degrees: ['bachelors degree'],
				majors: ['business administration'],
				minors: [],
				school: { name: pick(SCHOOLS, p.hex, 27) },
			},
		],
		gender: p.first.gender,
		company_name: p.company.name,
		company_website: `https://${p.company.domain}`,
		company_linkedin: `https://www.linkedin.com/company/${slug(p.company.name)}`,
		job_department: null,
		job_department_array: [p.job.department],
		job_department_main: p.job.department,
		job_seniority_level: p.job.level,
		job_level_array: [p.job.level],
		job_level_main: p.job.level,
		job_title: p.job.title,
		linkedin_url_array: [linkedin],
	};
}

/**
 * `data` of a `prospects/linkedin_posts/bulk_enrich` row (shape is a guess).
 * @param {string} prospectId
 * @param {AskedPerson | null} [asked] whom the match that gave this id asked for (asked-person.cjs)
 */
function linkedinPostsFor(prospectId, asked) {
	const p = personFor(`explorium-prospect|${prospectId}`, asked);
	const count = hexInt(p.hex, 18) % 3;
	const posts = [];
	for (let i = 0; i < count; i++) {
		posts.push({
			post_url: `https://www.linkedin.com/posts/${slug(p.first.name)}-${slug(p.last)}_${p.hex.slice(i * 4, i * 4 + 8)}`,
			post_text: `Excited to share what ${p.company.name} has been working on (${i + 1}).`,
			created_at: `2025-0${1 + i}-1${i}T09:00:00Z`,
			number_of_likes: hexInt(p.hex, 10 + i) % 500,
			number_of_comments: hexInt(p.hex, 14 + i) % 50,
		});
	}
	return { linkedin_posts: posts };
}

/**
 * `data` of a prospect bulk enrich row for one enrichment.
 * @param {string} enrichment contacts_information | profiles | linkedin_posts
 * @param {string} prospectId
 * @param {{contact_types?: string[]} | null} [parameters]
 * @param {AskedPerson | null} [asked]
 * @returns {Record<string, unknown>}
 */
function prospectEnrichmentFor(enrichment, prospectId, parameters, asked) {
	if (enrichment === 'contacts_information')
		return contactsInformationFor(prospectId, parameters, asked);
	if (enrichment === 'profiles') return profileFor(prospectId, asked);
	return linkedinPostsFor(prospectId, asked);
}

/**
 * `data` of a `businesses/firmographics/bulk_enrich` row (shape of the documented example).
 * @param {string} businessId
 */
function firmographicsFor(businessId) {
	const hex = sha1(`explorium-business|${businessId}`);
	const company = pick(COMPANIES, hex, 0);
	const place = pick(PLACES, hex, 4);
	return {
		business_id: businessId,
		name: company.name.toLowerCase(),
		business_description: `${company.name} is a company in ${company.industry}.`,
		website: `https://${company.domain}`,
		country_name: place.country,
		region_name: place.region,
		city_name: place.city,
		street: place.street,
		zip_code: place.zip,
		naics: company.naics,
		naics_description: company.naicsDescription,
		sic_code: company.sic,
		sic_code_description: company.sicDescription,
		ticker: null,
		number_of_employees_range: company.employees,
		yearly_revenue_range: company.revenue,
		linkedin_industry_category: company.industry,
		linkedin_profile: `https://www.linkedin.com/company/${slug(company.name)}`,
		business_logo: `https://logo.example/${slug(company.name)}.png`,
		locations_distribution: [],
	};
}

/**
 * `data` of a business bulk enrich row for one enrichment.
 * @param {string} enrichment firmographics | technographics | funding_and_acquisition | workforce_trends | webstack
 * @param {string} businessId
 * @returns {Record<string, unknown>}
 */
function businessEnrichmentFor(enrichment, businessId) {
	const hex = sha1(`explorium-business|${businessId}`);
	switch (enrichment) {
		case 'firmographics':
			return firmographicsFor(businessId);
		case 'technographics': {
			const stack = TECHNOLOGIES.map((t, i) => ({
				category: t.category,
				technologies: [pick(t.technologies, hex, i * 3)],
			}));
			return {
				full_tech_stack: stack.map((s) => s.technologies[0]),
				full_nested_tech_stack: stack,
			};
		}
		case 'funding_and_acquisition': {
			const rounds = 1 + (hexInt(hex, 6) % 3);
			return {
				total_funding: rounds * 5000000 + (hexInt(hex, 8) % 10) * 1000000,
				number_of_funding_rounds: rounds,
				last_funding_round_type: pick(FUNDING_ROUNDS, hex, 10),
				last_funding_round_date: `202${hexInt(hex, 12) % 5}-0${1 + (hexInt(hex, 14) % 9)}-01`,
				investors: [pick(INVESTORS, hex, 16), pick(INVESTORS, hex, 18)].filter(
					(v, i, a) => a.indexOf(v) === i,
				),
				acquisitions: [],
				is_acquired: false,
			};
		}
		case 'workforce_trends': {
			const total = 20 + (hexInt(hex, 20) % 5000);
			return {
				employees_total: total,
				perc_engineering_roles: hexInt(hex, 22) % 60,
				perc_sales_roles: hexInt(hex, 24) % 30,
				perc_marketing_roles: hexInt(hex, 26) % 15,
				change_in_employees_last_quarter: (hexInt(hex, 28) % 21) - 10,
			};
		}
		default:
			return {
				webstack: TECHNOLOGIES.map((t, i) => pick(t.technologies, hex, i * 5 + 1)),
				number_of_technologies: TECHNOLOGIES.length,
			};
	}
}

// ---------------------------------------------------------------------------------------------
// Pronto
// ---------------------------------------------------------------------------------------------

/** Phone country prefixes for `phone_country_codes`. */
const COUNTRY_PREFIXES = /** @type {Record<string, string>} */ ({
	US: '+1',
	CA: '+1',
	FR: '+33',
	GB: '+44',
	DE: '+49',
	ES: '+34',
	IT: '+39',
	NL: '+31',
});

/**
 * A uuid-shaped string from a hex digest.
 * @param {string} seed
 */
function uuidFrom(seed) {
	const h = sha1(seed);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Whether a Pronto contact is a miss (its lastname contains `nomatch`).
 * @param {Record<string, unknown>} contact
 */
function prontoIsMiss(contact) {
	return containsMarker(contact.lastname, 'nomatch');
}

/**
 * The enriched fields Pronto's result carries for one contact (documented shape, without ids/status).
 * Only the requested enrichment type is filled; the other fields are null / `N/A` / [].
 * @param {Record<string, unknown>} contact
 * @param {string} enrichmentType email | phone | personal_email
 * @param {string[]} [phoneCountryCodes]
 */
function prontoFindingsFor(contact, enrichmentType, phoneCountryCodes) {
	/** @type {{email: string | null, email_status: string, personal_email: string | null, personal_email_status: string, phone: string[]}} */
	const out = {
		email: null,
		email_status: 'N/A',
		personal_email: null,
		personal_email_status: 'N/A',
		phone: [],
	};
	if (prontoIsMiss(contact)) return out;
	const first = slug(String(contact.firstname ?? ''));
	const last = slug(String(contact.lastname ?? ''));
	const key = [first, last, contact.domain, contact.company_name, contact.linkedin_url]
		.map((v) => String(v ?? '').toLowerCase())
		.join('|');
	const hex = sha1(`pronto|${key}`);
	if (enrichmentType === 'email') {
		const domain = present(contact.domain)
			? normaliseDomain(String(contact.domain))
			: `${slug(String(contact.company_name ?? 'company'))}.com`;
		out.email = `${first}.${last}@${domain}`;
		out.email_status = hexInt(hex, 0) % 4 === 0 ? 'catch-all' : 'deliverable';
	} else if (enrichmentType === 'personal_email') {
		out.personal_email = `${first}.${last}${hexInt(hex, 2) % 100}@${pick(PERSONAL_DOMAINS, hex, 4)}`;
		out.personal_email_status = 'valid';
	} else {
		const code =
			phoneCountryCodes && phoneCountryCodes.length > 0
				? String(phoneCountryCodes[0]).toUpperCase()
				: 'US';
		const prefix = COUNTRY_PREFIXES[code] ?? '+1';
		out.phone = [phoneFrom(hex, 6, prefix)];
		if (hexInt(hex, 10) % 3 === 0) out.phone.push(phoneFrom(hex, 14, prefix));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// ExactBuyer
// ---------------------------------------------------------------------------------------------

/** The `required_fields` field types ExactBuyer knows. */
const EXACTBUYER_REQUIRED_TYPES = /** @type {const} */ ([
	'email',
	'work_email',
	'personal_email',
	'phone',
	'social_profile',
]);
/** The `query_list` field types ExactBuyer knows. */
const EXACTBUYER_QUERY_TYPES = /** @type {const} */ (['email', 'phone', 'social_profile']);

/** @param {string} email */
function isFreeMail(email) {
	return PERSONAL_DOMAINS.some((d) => email.endsWith(`@${d}`));
}

/**
 * Which kinds of data an ExactBuyer contact has. From the first byte `b` of
 * sha1('exactbuyer|' + lower-cased trimmed value): phone unless (b & 3) == 0, personal email unless
 * ((b >> 2) & 3) == 0, work email unless ((b >> 4) & 3) == 0, social profile unless ((b >> 6) & 3) == 0.
 * The kind of the input itself is always present (an email input is a work email unless its domain is
 * a free-mail one). Markers in the value force a kind absent: `no-phone`, `no-work-email`,
 * `no-personal-email`, `no-social`.
 * @param {string} value
 * @param {string} [fieldType]
 */
function exactBuyerAvailability(value, fieldType) {
	const lower = value.trim().toLowerCase();
	const b = parseInt(sha1(`exactbuyer|${lower}`).slice(0, 2), 16);
	const inputIsPersonalEmail = fieldType === 'email' && isFreeMail(lower);
	const avail = {
		phone: (b & 3) !== 0 || fieldType === 'phone',
		personal_email: ((b >> 2) & 3) !== 0 || inputIsPersonalEmail,
		work_email: ((b >> 4) & 3) !== 0 || (fieldType === 'email' && !inputIsPersonalEmail),
		social_profile: ((b >> 6) & 3) !== 0 || fieldType === 'social_profile',
	};
	if (lower.includes('no-phone')) avail.phone = false;
	if (lower.includes('no-work-email')) avail.work_email = false;
	if (lower.includes('no-personal-email')) avail.personal_email = false;
	if (lower.includes('no-social')) avail.social_profile = false;
	return avail;
}

/**
 * @param {string} value
 */
function e164From(value) {
	const digits = value.replace(/\D/g, '');
	if (digits.length === 10) return `+1${digits}`;
	return `+${digits}`;
}

/**
 * The shapes the simulator can answer ExactBuyer contacts in (setExactBuyerContactShape):
 * - `seen` (the default): only what public templates run against the live API read —
 *   `current_work_email` (a top-level string), `phone_numbers[]{E164}`, `social_profiles[]{network,url}`,
 *   names, `gender`, `location`, `employment`, `education`. ExactBuyer's personal emails have no
 *   evidenced key, so this shape has none (`required_fields: personal_email` still filters on them).
 * - `guessed`: the alternatives nothing public shows, for tests that read them defensively —
 *   `emails: [{email, type}]` with `work`/`personal`, phone entries `{number, type}` (mobile),
 *   networks written `LinkedIn` with an https URL.
 * @typedef {'seen' | 'guessed'} ExactBuyerContactShape
 */
const EXACTBUYER_CONTACT_SHAPES = /** @type {const} */ (['seen', 'guessed']);

/**
 * What the simulator knows about one ExactBuyer contact (before `required_fields` and `nomatch`),
 * independent of the shape it is answered in.
 * @param {string} value
 * @param {string} [fieldType] email | phone | social_profile
 */
function exactBuyerPersonFor(value, fieldType) {
	const lower = value.trim().toLowerCase();
	const p = personFor(`exactbuyer|${lower}`, askedPersonForLookup(value, fieldType));
	const avail = exactBuyerAvailability(value, fieldType);
	const firstSlug = slug(p.first.name);
	const lastSlug = slug(p.last);
	const ownWork = fieldType === 'email' && !isFreeMail(lower) ? lower : null;
	const ownPersonal = fieldType === 'email' && isFreeMail(lower) ? lower : null;
	return {
		p,
		workEmail: avail.work_email
			? (ownWork ?? `${firstSlug}.${lastSlug}@${p.company.domain}`)
			: null,
		personalEmail: avail.personal_email
			? (ownPersonal ??
				`${firstSlug}${lastSlug}${hexInt(p.hex, 20) % 100}@${pick(PERSONAL_DOMAINS, p.hex, 24)}`)
			: null,
		phone: avail.phone ? (fieldType === 'phone' ? e164From(value) : phoneFrom(p.hex, 28)) : null,
		linkedin: avail.social_profile
			? fieldType === 'social_profile'
				? lower.replace(/^https?:\/\//, '').replace(/^www\./, '')
				: `linkedin.com/in/${firstSlug}-${lastSlug}-${p.hex.slice(0, 6)}`
			: null,
	};
}

/**
 * The contact ExactBuyer's simulator answers for this identifier (before `required_fields` and
 * `nomatch` are applied), in the given shape (default `seen`, the evidenced one).
 * @param {string} value
 * @param {string} [fieldType] email | phone | social_profile
 * @param {ExactBuyerContactShape} [shape]
 * @returns {Record<string, any>}
 */
function exactBuyerContactFor(value, fieldType, shape = 'seen') {
	const { p, workEmail, personalEmail, phone, linkedin } = exactBuyerPersonFor(value, fieldType);
	/** @type {Record<string, any>} */
	const contact = {
		full_name: `${p.first.name} ${p.last}`,
		first_name: p.first.name,
		last_name: p.last,
		gender: p.first.gender,
		location: { country: p.place.country, city: p.place.city, region: p.place.region },
		employment: { name: p.company.name, size: p.company.size, job: { title: p.job.title } },
		education: [{ school: { name: pick(SCHOOLS, p.hex, 27) } }],
	};
	if (shape === 'guessed') {
		/** @type {Array<{email: string, type: string}>} */
		const emails = [];
		if (workEmail) emails.push({ email: workEmail, type: 'work' });
		if (personalEmail) emails.push({ email: personalEmail, type: 'personal' });
		contact.emails = emails;
		contact.phone_numbers = phone ? [{ number: phone, type: 'mobile' }] : [];
		contact.social_profiles = linkedin
			? [{ network: 'LinkedIn', url: `https://www.${linkedin}` }]
			: [];
		return contact;
	}
	if (workEmail) contact.current_work_email = workEmail;
	contact.phone_numbers = phone ? [{ E164: phone }] : [];
	contact.social_profiles = linkedin ? [{ network: 'linkedin', url: linkedin }] : [];
	return contact;
}

/**
 * Whether a contact has the data a `required_fields` entry asks for.
 * @param {string} value
 * @param {string | undefined} fieldType
 * @param {string} requiredType
 */
function exactBuyerHasField(value, fieldType, requiredType) {
	const person = exactBuyerPersonFor(value, fieldType);
	switch (requiredType) {
		case 'email':
			return person.workEmail !== null || person.personalEmail !== null;
		case 'work_email':
			return person.workEmail !== null;
		case 'personal_email':
			return person.personalEmail !== null;
		case 'phone':
			return person.phone !== null;
		case 'social_profile':
			return person.linkedin !== null;
		default:
			return false;
	}
}

/**
 * The work email the simulator's contact has (whatever shape it is answered in), or null.
 * @param {string} value
 * @param {string} [fieldType]
 */
function exactBuyerWorkEmailFor(value, fieldType) {
	if (containsMarker(value, 'nomatch')) return null;
	return exactBuyerPersonFor(value, fieldType).workEmail;
}

/**
 * What ExactBuyer's simulator answers for one input: the contact, or null (value contains `nomatch`,
 * or the contact lacks one of the required field types).
 * @param {string} value
 * @param {string} [fieldType]
 * @param {string[]} [requiredFields] field types (AND)
 * @param {ExactBuyerContactShape} [shape]
 */
function exactBuyerResultFor(value, fieldType, requiredFields = [], shape = 'seen') {
	if (containsMarker(value, 'nomatch')) return null;
	return requiredFields.every((r) => exactBuyerHasField(value, fieldType, r))
		? exactBuyerContactFor(value, fieldType, shape)
		: null;
}

module.exports = {
	sha1,
	companyOfAsked,
	md5,
	uuidFrom,
	PROSPECT_INPUT_FIELDS,
	BUSINESS_INPUT_FIELDS,
	EXACTBUYER_QUERY_TYPES,
	EXACTBUYER_REQUIRED_TYPES,
	prospectMatchKey,
	prospectMatchOutcome,
	prospectIdFor,
	businessMatchKey,
	businessMatchOutcome,
	businessIdFor,
	isKnownId,
	contactsInformationFor,
	contactInformationV2For,
	v2DataIsList,
	profileFor,
	linkedinPostsFor,
	prospectEnrichmentFor,
	firmographicsFor,
	businessEnrichmentFor,
	prontoIsMiss,
	prontoFindingsFor,
	exactBuyerAvailability,
	exactBuyerContactFor,
	exactBuyerHasField,
	exactBuyerResultFor,
	exactBuyerWorkEmailFor,
	EXACTBUYER_CONTACT_SHAPES,
};
