/**
 * The package's own credential classes, looked up by their `name` the way n8n's CredentialTypes
 * does (parent types through `extends`).
 */
import type { ICredentialType } from 'n8n-workflow';

import { BulkEnrichmentExactBuyerApi } from '../../../credentials/BulkEnrichmentExactBuyerApi.credentials';
import { BulkEnrichmentExploriumApi } from '../../../credentials/BulkEnrichmentExploriumApi.credentials';
import { BulkEnrichmentProntoApi } from '../../../credentials/BulkEnrichmentProntoApi.credentials';

export class CredentialTypeRegistry {
	private readonly byName = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[]) {
		for (const type of types) this.byName.set(type.name, type);
	}

	has(name: string): boolean {
		return this.byName.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.byName.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	/** All ancestors named by `extends`, nearest first (as n8n's CredentialTypes.getParentTypes). */
	getParentTypes(name: string): string[] {
		const type = this.byName.get(name);
		if (!type?.extends) return [];
		const parents = [...type.extends];
		for (const parent of type.extends) parents.push(...this.getParentTypes(parent));
		return parents;
	}
}

/** A fresh registry of the package's credential types. */
export function packageCredentialTypes(): CredentialTypeRegistry {
	return new CredentialTypeRegistry([
		new BulkEnrichmentExploriumApi(),
		new BulkEnrichmentProntoApi(),
		new BulkEnrichmentExactBuyerApi(),
	]);
}
