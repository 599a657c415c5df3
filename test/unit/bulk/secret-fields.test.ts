/**
 * Issue 28: the engine knows no provider's credential fields. Each provider names its secret fields
 * (its API key first); a field its credential lacks is an error naming it, never a key that is
 * silently not redacted (and whose runs would all share one key's limits).
 */
import type { ICredentialType, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BulkEnrichmentExactBuyerApi } from '../../../credentials/BulkEnrichmentExactBuyerApi.credentials';
import { BulkEnrichmentExploriumApi } from '../../../credentials/BulkEnrichmentExploriumApi.credentials';
import { BulkEnrichmentProntoApi } from '../../../credentials/BulkEnrichmentProntoApi.credentials';
import { connectToProvider } from '../../../nodes/bulk/transport';
import type { Provider } from '../../../nodes/bulk/types';
import { EXACTBUYER } from '../../../nodes/ExactBuyer/adapter/provider';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import { PRONTO } from '../../../nodes/Pronto/adapter/provider';
import { NODE, fakeApiKey } from './helpers';

const contextWith = (credentials: Record<string, unknown>) =>
	({
		getNode: () => NODE,
		getCredentials: async () => ({ baseUrl: 'https://api.example.test', ...credentials }),
	}) as unknown as IExecuteFunctions;

const provider = (secretFields: Provider['secretFields']) => ({
	credentialType: 'someApi',
	secretFields,
});

describe('connectToProvider: secret credential fields', () => {
	it('a key field the credential lacks (named other than the provider says) is an error naming it', async () => {
		const context = contextWith({ token: fakeApiKey('renamed') });
		await expect(connectToProvider(context, provider(['apiKey']), 1000, undefined)).rejects.toThrow(
			'The someApi credential has no text field "apiKey", which its provider names as a secret',
		);
	});

	it('redacts every field the provider names, whatever its name', async () => {
		const [token, extra] = [fakeApiKey('token'), fakeApiKey('extra')];
		const connection = await connectToProvider(
			contextWith({ token, extra }),
			provider(['token', 'extra']),
			1000,
			undefined,
		);
		expect(connection.secrets).toEqual(expect.arrayContaining([token, extra]));
	});

	it.each<[string, Provider, ICredentialType]>([
		['Explorium', EXPLORIUM, new BulkEnrichmentExploriumApi()],
		['ExactBuyer', EXACTBUYER, new BulkEnrichmentExactBuyerApi()],
		['Pronto', PRONTO, new BulkEnrichmentProntoApi()],
	])('%s names password fields its credential type declares', (_, declared, credential) => {
		expect(declared.credentialType).toBe(credential.name);
		const passwords = credential.properties
			.filter((property: INodeProperties) => property.typeOptions?.password === true)
			.map((property) => property.name);
		for (const field of declared.secretFields) expect(passwords).toContain(field);
	});
});
